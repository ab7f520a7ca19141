"""Regenerates tasks/<Type>/<id>.json from a git mirror of embeddings-benchmark/mteb.

Run:  /usr/bin/python3 tasks/make_registry.py /path/to/mteb.git   (bare mirror; tags 1.12.0, 1.12.60 and HEAD a905523d0)
      e.g. the mirror the `fetch` tool puts at /work/.mirror/embeddings-benchmark+mteb/repo

v1 entries (protocol mteb-1) take dataset/revision/description from tag 1.12.0 (NV-Embed era) and
ignore_identical_ids from 1.12.60 (per-task values from 1.12.53 on); v2-only entries (protocol mteb-2) take HEAD.
Instructions come from /work/shared/reference/task-instructions.json (NVIDIA's instructions.json first, else the
mteb prompt); v2-only tasks absent there use the `prompt` of their HEAD TaskMetadata (same source), else null.
The JSON files are the source of truth once generated; this script documents where every value came from.
"""
import ast, json, os, subprocess, sys

GITDIR = sys.argv[1] if len(sys.argv) > 1 else '/work/.mirror/embeddings-benchmark+mteb/repo'
HERE = os.path.dirname(os.path.abspath(__file__))
INSTR = json.load(open(sys.argv[2] if len(sys.argv) > 2 else '/work/shared/reference/task-instructions.json'))['tasks']


def lit(n, consts):
    try:
        return ast.literal_eval(n)
    except Exception:
        if isinstance(n, ast.Name) and n.id in consts:
            return consts[n.id]
        if isinstance(n, ast.Dict):
            d = {}
            for k, v in zip(n.keys, n.values):
                try:
                    d[ast.literal_eval(k)] = lit(v, consts)
                except Exception:
                    pass
            return d
        return None


def metadata_at(ref):
    git = ['git', f'--git-dir={GITDIR}']
    files = subprocess.check_output(git + ['ls-tree', '-r', '--name-only', '-z', ref, 'mteb/tasks']).decode().split('\0')
    out = {}
    for f in files:
        if not f.endswith('.py'):
            continue
        src = subprocess.check_output(git + ['show', f'{ref}:{f}']).decode()
        try:
            tree = ast.parse(src)
        except SyntaxError:
            continue
        consts = {}
        for node in tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                if isinstance(node.value, ast.Call):  # shared metadata kwargs: dict(...)
                    consts[node.targets[0].id] = {kw.arg: lit(kw.value, consts) for kw in node.value.keywords if kw.arg}
                else:
                    try:
                        consts[node.targets[0].id] = ast.literal_eval(node.value)
                    except Exception:
                        pass
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef):
                continue
            md, attrs = None, {}
            for st in node.body:
                if isinstance(st, (ast.Assign, ast.AnnAssign)):
                    tgt = st.targets[0] if isinstance(st, ast.Assign) else st.target
                    if not isinstance(tgt, ast.Name) or st.value is None:
                        continue
                    if tgt.id == 'metadata' and isinstance(st.value, ast.Call):
                        md = {}
                        for kw in st.value.keywords:
                            if kw.arg:
                                md[kw.arg] = lit(kw.value, consts)
                            elif isinstance(kw.value, ast.Name) and isinstance(consts.get(kw.value.id), dict):
                                md.update(consts[kw.value.id])
                    else:
                        try:
                            attrs[tgt.id] = ast.literal_eval(st.value)
                        except Exception:
                            pass
            if md and md.get('name'):
                out[md['name']] = {'md': md, 'attrs': attrs}
    return out


V112 = metadata_at('1.12.0')
V11260 = metadata_at('1.12.60')
HEAD = metadata_at('HEAD')

FORUMS = 'Android English Gaming Gis Mathematica Physics Programmers Stats Tex Unix Webmasters Wordpress'.split()
CQA = [f'CQADupstack{f}Retrieval' for f in FORUMS]
TYPES_V1 = {
    'Classification': 'AmazonCounterfactualClassification AmazonPolarityClassification AmazonReviewsClassification Banking77Classification EmotionClassification ImdbClassification MassiveIntentClassification MassiveScenarioClassification MTOPDomainClassification MTOPIntentClassification ToxicConversationsClassification TweetSentimentExtractionClassification',
    'Clustering': 'ArxivClusteringP2P ArxivClusteringS2S BiorxivClusteringP2P BiorxivClusteringS2S MedrxivClusteringP2P MedrxivClusteringS2S RedditClustering RedditClusteringP2P StackExchangeClustering StackExchangeClusteringP2P TwentyNewsgroupsClustering',
    'PairClassification': 'SprintDuplicateQuestions TwitterSemEval2015 TwitterURLCorpus',
    'Reranking': 'AskUbuntuDupQuestions MindSmallReranking SciDocsRR StackOverflowDupQuestions',
    'Retrieval': 'ArguAna ClimateFEVER DBPedia FEVER FiQA2018 HotpotQA MSMARCO NFCorpus NQ QuoraRetrieval SCIDOCS SciFact Touche2020 TRECCOVID ' + ' '.join(CQA),
    'STS': 'BIOSSES SICK-R STS12 STS13 STS14 STS15 STS16 STS17 STS22 STSBenchmark',
    'Summarization': 'SummEval',
}
# registry id -> (HEAD task name, type)
V2_ONLY = {
    'AmazonCounterfactualClassification@v2': ('AmazonCounterfactualClassification', 'Classification'),
    'MTOPDomainClassification@v2': ('MTOPDomainClassification', 'Classification'),
    'ArXivHierarchicalClusteringP2P': ('ArXivHierarchicalClusteringP2P', 'Clustering'),
    'ArXivHierarchicalClusteringS2S': ('ArXivHierarchicalClusteringS2S', 'Clustering'),
    'BiorxivClusteringP2P.v2': ('BiorxivClusteringP2P.v2', 'Clustering'),
    'MedrxivClusteringP2P.v2': ('MedrxivClusteringP2P.v2', 'Clustering'),
    'MedrxivClusteringS2S.v2': ('MedrxivClusteringS2S.v2', 'Clustering'),
    'StackExchangeClustering.v2': ('StackExchangeClustering.v2', 'Clustering'),
    'StackExchangeClusteringP2P.v2': ('StackExchangeClusteringP2P.v2', 'Clustering'),
    'TwentyNewsgroupsClustering.v2': ('TwentyNewsgroupsClustering.v2', 'Clustering'),
    'AskUbuntuDupQuestions@v2': ('AskUbuntuDupQuestions', 'Reranking'),
    'MindSmallReranking@v2': ('MindSmallReranking', 'Reranking'),
    'ClimateFEVERHardNegatives': ('ClimateFEVERHardNegatives', 'Retrieval'),
    'FEVERHardNegatives': ('FEVERHardNegatives', 'Retrieval'),
    'HotpotQAHardNegatives': ('HotpotQAHardNegatives', 'Retrieval'),
    'Touche2020Retrieval.v3': ('Touche2020Retrieval.v3', 'Retrieval'),
    'STS22.v2': ('STS22.v2', 'STS'),
    'SummEvalSummarization.v2': ('SummEvalSummarization.v2', 'Summarization'),
}
SUBSETS = {'AmazonCounterfactualClassification': ['en'], 'AmazonReviewsClassification': ['en'],
           'MassiveIntentClassification': ['en'], 'MassiveScenarioClassification': ['en'],
           'MTOPDomainClassification': ['en'], 'MTOPIntentClassification': ['en'], 'STS17': ['en-en'],
           'STS22': ['en'], 'STS22.v2': ['en']}
SAMPLES = {'AmazonCounterfactualClassification': 32, 'TweetSentimentExtractionClassification': 32,
           'EmotionClassification': 16, 'ToxicConversationsClassification': 16}
NV_STS = {'query': 'Retrieve semantically similar text'}


def instruction(name, typ, head_prompt):
    e = INSTR.get(name, {})
    nv = e.get('nvembed')
    base = name.split('.v')[0]
    if nv is None and typ == 'STS':
        nv = {'text': 'Retrieve semantically similar text'}  # NVIDIA's generic "STS" entry covers every STS task
    if nv is None and typ == 'Summarization':
        nv = {'text': 'Given a news summary, retrieve other semantically similar summaries'}  # NVIDIA's "SUMM"
    if nv is not None:
        q = nv.get('query', nv.get('text'))
        p = nv.get('corpus')
        return {'query': q, 'passage': p if p else None, 'source': 'nvembed-instructions.json'}
    mp = e.get('mteb_prompt', head_prompt)
    if mp is None:
        return None
    if isinstance(mp, dict):
        return {'query': mp.get('query'), 'passage': mp.get('passage', mp.get('document')), 'source': 'mteb-prompt'}
    return {'query': mp, 'source': 'mteb-prompt'}


def langs(md, subsets):
    el = md.get('eval_langs')
    if isinstance(el, dict):
        return {s: el[s] for s in subsets}
    return el


def common(reg_id, name, typ, md, protocol, main_score, splits, subsets):
    t = {'name': name, 'type': typ, 'description': ' '.join((md.get('description') or '').split()),
         'dataset': {'path': md['dataset']['path'], 'revision': md['dataset']['revision']},
         'eval_splits': splits}
    if subsets:
        t['hf_subsets'] = subsets
    t['eval_langs'] = langs(md, subsets or ['default'])
    t['main_score'] = main_score
    t['protocol'] = protocol
    if md.get('category'):
        t['category'] = md['category']
    return t


def write(reg_id, typ, t):
    d = os.path.join(HERE, typ)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, reg_id + '.json'), 'w') as f:
        json.dump(t, f, indent=2, ensure_ascii=False)
        f.write('\n')


V1_MAIN = {'PairClassification': 'max_ap', 'Reranking': 'map'}

for typ, names in TYPES_V1.items():
    for name in names.split():
        md = V112[name]['md']
        subsets = SUBSETS.get(name)
        splits = ['dev'] if name == 'MSMARCO' else ['test']
        t = common(name, name, typ, md, 'mteb-1', V1_MAIN.get(typ, md['main_score']), splits, subsets)
        t['instruction'] = instruction(name, typ, None)
        if typ in ('Retrieval', 'Reranking'):
            t['ignore_identical_ids'] = bool(V11260[name]['attrs'].get('ignore_identical_ids', False))
        if name == 'QuoraRetrieval':
            t['symmetric'] = True
        if typ == 'Classification':
            t['samples_per_label'] = SAMPLES.get(name, 8)
            t['n_experiments'] = 10
            t['train_split'] = 'train'
            if name == 'ToxicConversationsClassification':
                t['test_subsample_size'] = 2048
        if typ == 'Clustering':
            t['clustering_variant'] = 'legacy'
        if typ == 'STS':
            t['min_score'], t['max_score'] = (1, 4) if name == 'STS22' else (0, 5)
        if typ == 'Summarization':
            t['min_score'], t['max_score'] = 0, 5
            t['summarization_variant'] = 'legacy'
        write(name, typ, t)

# CQADupstackRetrieval: v1 merge script / v2 AbsTaskAggregate = unweighted mean over the 12 forums.
write('CQADupstackRetrieval', 'Retrieval', {
    'name': 'CQADupstackRetrieval', 'type': 'Retrieval',
    'description': 'CQADupStack: a benchmark dataset for community question-answering research. Aggregate task: every score is the unweighted mean over the 12 forum tasks (all 12 required).',
    'dataset': {'path': 'aggregate:CQADupstackRetrieval', 'revision': '1'},
    'eval_splits': ['test'], 'eval_langs': ['eng-Latn'], 'main_score': 'ndcg_at_10', 'protocol': 'mteb-1',
    'category': 's2p', 'instruction': None, 'aggregate_of': CQA})

for reg_id, (name, typ) in V2_ONLY.items():
    e = HEAD[name]
    md = e['md']
    subsets = SUBSETS.get(name)
    t = common(reg_id, name, typ, md, 'mteb-2', md['main_score'], ['test'], subsets)
    t['instruction'] = instruction(name, typ, md.get('prompt'))
    if typ in ('Retrieval', 'Reranking'):
        t['ignore_identical_ids'] = bool(e['attrs'].get('ignore_identical_ids', False))
    if name == 'MindSmallReranking':
        t['max_over_subqueries'] = True
    if typ == 'Classification':
        t['samples_per_label'] = SAMPLES.get(name, 8)
        t['n_experiments'] = 10
        t['train_split'] = 'train'
    if typ == 'Clustering':
        t['clustering_variant'] = 'fast'
        t['max_fraction_of_documents_to_embed'] = None if name == 'StackExchangeClustering.v2' else 0.04
        t['max_documents_per_cluster'] = 16384
        t['n_bootstrap_rounds'] = 10
        # mteb's dataset_transform of these tasks, as data (applied by src/adapters/clustering-transforms.ts)
        if name.startswith('ArXivHierarchicalClustering'):
            t['label_separator'] = '.'
            t['test_subsample'] = {'size': 2048, 'stratified': False, 'seed': 42}
        if name == 'StackExchangeClustering.v2':
            t['test_subsample'] = {'size': 2048, 'stratified': True, 'seed': 42}
        if name == 'StackExchangeClusteringP2P.v2':
            t['drop_singleton_labels'] = True
    if typ == 'STS':
        t['min_score'], t['max_score'] = e['attrs'].get('min_score', 0), e['attrs'].get('max_score', 5)
    if typ == 'Summarization':
        t['min_score'], t['max_score'] = 0, 5
        t['summarization_variant'] = 'fixed'
    write(reg_id, typ, t)
print('ok')

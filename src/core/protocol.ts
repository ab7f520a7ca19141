/** Which mteb generation's protocol a task follows: 1.x (mteb 1.12) or 2.x. Metrics take it; task specs carry it. */
export type Protocol = 'mteb-1' | 'mteb-2';
export const PROTOCOLS: readonly Protocol[] = ['mteb-1', 'mteb-2'];

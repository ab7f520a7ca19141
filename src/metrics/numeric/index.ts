export { numpySum64, numpySum32, numpyMean, numpyStd, numpyAverage, einsumDot64, einsumDot32 } from './numpy-sum.js';
export { pythonSum, type PythonSumMode } from './python-sum.js';

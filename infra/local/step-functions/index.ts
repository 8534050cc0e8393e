export { createLocalStepFunctions, LocalStepFunctions, type LocalStepFunctionsOptions } from './service';
export type { LambdaInvoker } from './types';

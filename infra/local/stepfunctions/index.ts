export { createLocalStepFunctions, LocalStepFunctions, type DescribedExecution, type ExecutionListItem, type LocalStepFunctionsOptions } from './service';
export { StepFunctionsApiError } from './api-error';
export type { HistoryEvent } from './history';
export type { ExecutionStatus, LambdaInvoker } from './types';
export { InjectedFaults } from './injected-faults';

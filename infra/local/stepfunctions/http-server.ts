import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { StepFunctionsApiError } from './api-error';
import type { InjectedFaults } from './injected-faults';
import type { ApiRequest } from './request-fields';
import type { LocalStepFunctions } from './service';

type Operation = (service: LocalStepFunctions, request: ApiRequest) => unknown;

/** The operations served, by the name in `X-Amz-Target: AWSStepFunctions.<Operation>`. */
const OPERATIONS: Readonly<Record<string, Operation>> = {
  StartExecution: (service, request) => service.startExecution(request),
  SendTaskSuccess: (service, request) => service.sendTaskSuccess(request),
  SendTaskFailure: (service, request) => service.sendTaskFailure(request),
  SendTaskHeartbeat: (service, request) => service.sendTaskHeartbeat(request),
  DescribeExecution: (service, request) => service.describeExecution(request),
  ListExecutions: (service, request) => service.listExecutions(request),
  GetExecutionHistory: (service, request) => service.getExecutionHistory(request),
  StopExecution: (service, request) => service.stopExecution(request),
  DescribeStateMachine: (service, request) => service.describeStateMachine(request),
  ListStateMachines: (service, request) => service.listStateMachines(request),
};

const TARGET_PREFIX = 'AWSStepFunctions.';
const ERROR_NAMESPACE = 'com.amazonaws.states#';
/** Request bodies above this are refused (inputs and outputs are at most 256 KiB, escaped in JSON). */
const MAX_BODY_BYTES = 2 * 1024 * 1024;

/**
 * Serves the Step Functions API in the AWS JSON 1.0 protocol, as `@aws-sdk/client-sfn` speaks
 * it: `POST /` with `X-Amz-Target`. Errors answer 400 with
 * `{"__type": "com.amazonaws.states#<Name>", "message"}`, so the SDK raises the same exception
 * classes as against AWS.
 */
export function serveStepFunctionsApi(
  service: LocalStepFunctions,
  options: { host: string; port: number; faults?: InjectedFaults },
): Promise<{ server: Server; endpoint: string }> {
  const server = createServer((request, response) => {
    void answer(service, request, options.faults).then(({ status, body }) => send(response, status, body));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : options.port;
      resolve({ server, endpoint: `http://${options.host}:${port}` });
    });
  });
}

/** Closes a server and every connection it holds (SDK clients keep theirs alive). */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}

async function answer(service: LocalStepFunctions, request: IncomingMessage, faults?: InjectedFaults): Promise<{ status: number; body: unknown }> {
  try {
    const target = String(request.headers['x-amz-target'] ?? '');
    const name = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
    const operation = Object.hasOwn(OPERATIONS, name) ? OPERATIONS[name] : undefined;
    if (request.method !== 'POST' || !operation) {
      request.resume();
      throw new StepFunctionsApiError('UnknownOperationException', `unknown operation: ${request.method ?? ''} ${target || '(no X-Amz-Target)'}`);
    }
    const body = await readJson(request);
    if (faults?.take(name)) return { status: 503, body: { __type: `${ERROR_NAMESPACE}ServiceUnavailable`, message: `${name} failed: an outage injected through /_local/faults` } };
    return { status: 200, body: operation(service, body) ?? {} };
  } catch (error) {
    if (error instanceof StepFunctionsApiError) return { status: 400, body: { __type: `${ERROR_NAMESPACE}${error.code}`, message: error.message } };
    return { status: 500, body: { __type: `${ERROR_NAMESPACE}InternalFailure`, message: (error as Error).message } };
  }
}

async function readJson(request: IncomingMessage): Promise<ApiRequest> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new StepFunctionsApiError('ValidationException', `request body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new StepFunctionsApiError('SerializationException', 'the request body is not JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new StepFunctionsApiError('SerializationException', 'the request body must be a JSON object');
  }
  return parsed as ApiRequest;
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  const errorType = status >= 400 ? (body as { __type: string }).__type : undefined;
  response.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': String(Buffer.byteLength(text)),
    'x-amzn-requestid': randomUUID(),
    ...(errorType === undefined ? {} : { 'x-amzn-errortype': errorType.slice(ERROR_NAMESPACE.length) }),
  });
  response.end(text);
}

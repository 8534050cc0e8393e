import { createServer, type IncomingMessage, type Server } from 'node:http';
import { StepFunctionsApiError } from './errors';
import type { LocalStepFunctions } from './service';

type Operation = (service: LocalStepFunctions, request: never) => unknown;

const OPERATIONS: Record<string, Operation> = {
  StartExecution: (service, request) => service.startExecution(request),
  SendTaskSuccess: (service, request) => service.sendTaskSuccess(request),
  SendTaskFailure: (service, request) => service.sendTaskFailure(request),
  SendTaskHeartbeat: (service, request) => service.sendTaskHeartbeat(request),
  DescribeExecution: (service, request) => service.describeExecution(request),
  ListExecutions: (service, request) => service.listExecutions(request),
  GetExecutionHistory: (service, request) => service.getExecutionHistory(request),
  StopExecution: (service, request) => service.stopExecution(request),
  DescribeStateMachine: (service, request) => service.describeStateMachine(request),
  ListStateMachines: (service) => service.listStateMachines(),
};

/**
 * Serves the Step Functions API in the AWS JSON 1.0 protocol (`X-Amz-Target:
 * AWSStepFunctions.<Operation>`), so `@aws-sdk/client-sfn` talks to it as to AWS, errors
 * included: `{"__type": "<ErrorName>", "message"}` with status 400.
 */
export function startStepFunctionsHttpServer(
  service: LocalStepFunctions,
  options: { host: string; port: number },
): Promise<{ server: Server; endpoint: string }> {
  const server = createServer((request, response) => {
    answer(service, request).then(({ status, body }) => {
      const text = JSON.stringify(body);
      response.writeHead(status, {
        'content-type': 'application/x-amz-json-1.0',
        'content-length': String(Buffer.byteLength(text)),
        'x-amzn-requestid': crypto.randomUUID(),
        ...(status >= 400 ? { 'x-amzn-errortype': (body as { __type: string }).__type } : {}),
      });
      response.end(text);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : options.port;
      resolve({ server, endpoint: `http://${options.host}:${port}` });
    });
  });
}

async function answer(service: LocalStepFunctions, request: IncomingMessage): Promise<{ status: number; body: unknown }> {
  try {
    const target = String(request.headers['x-amz-target'] ?? '');
    const name = target.replace(/^AWSStepFunctions\./, '');
    const operation = Object.hasOwn(OPERATIONS, name) ? OPERATIONS[name] : undefined;
    if (!target.startsWith('AWSStepFunctions.') || !operation) {
      throw new StepFunctionsApiError('UnknownOperationException', `unknown operation ${target || '(none)'}`);
    }
    const text = await readBody(request);
    let input: unknown;
    try {
      input = text ? JSON.parse(text) : {};
    } catch {
      throw new StepFunctionsApiError('SerializationException', 'request body is not JSON');
    }
    return { status: 200, body: operation(service, input as never) ?? {} };
  } catch (error) {
    if (error instanceof StepFunctionsApiError) return { status: 400, body: { __type: error.code, message: error.message } };
    return { status: 500, body: { __type: 'InternalFailure', message: (error as Error).message } };
  }
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

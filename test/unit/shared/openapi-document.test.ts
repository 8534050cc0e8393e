import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { routes } from '@infra/resources';
import { openApiDocument } from '@shared/api/openapi';
import { CALLBACK_TYPES } from '@shared/callbacks/outbox';

type Operation = { operationId?: string; parameters?: { name: string; in: string }[]; responses: Record<string, { content?: unknown; $ref?: string }> };
const document = openApiDocument();
const operations = (section: Record<string, Record<string, Operation>>) =>
  Object.entries(section).flatMap(([path, item]) => Object.entries(item).map(([method, operation]) => ({ where: `${method} ${path}`, operation })));
const pathOperations = operations(document.paths as never);
const webhookOperations = operations(document.webhooks as never);

describe('the OpenAPI document', () => {
  it('passes `redocly lint` (recommended rules) without errors or warnings, offline', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aftercare-openapi-'));
    try {
      const file = join(dir, 'openapi.json');
      writeFileSync(file, JSON.stringify(document));
      const cli = join(process.cwd(), 'node_modules/@redocly/cli/bin/cli.js');
      const { stdout } = await promisify(execFile)(process.execPath, [cli, 'lint', file, '--config', 'redocly.yaml', '--format', 'json'], {
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      });
      const report = JSON.parse(stdout) as { totals: { errors: number; warnings: number }; problems: { message: string }[] };
      expect(report.problems.map((problem) => problem.message)).toEqual([]);
      expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is OpenAPI 3.1 with a license and servers', () => {
    expect(document.openapi).toBe('3.1.1');
    expect(document.info.license).toEqual({ name: 'Apache-2.0', identifier: 'Apache-2.0' });
    expect(document.servers.map((server) => server.url)).toEqual(['http://127.0.0.1:3000', 'https://{apiId}.execute-api.{region}.amazonaws.com']);
  });

  it('documents every API route of the resource description', () => {
    const documented = pathOperations.map(({ where }) => where);
    const served = routes.filter((route) => route.path !== '/openapi.json' && !route.path.startsWith('/docs')).map((route) => `${route.method.toLowerCase()} ${route.path}`);
    expect(documented.sort()).toEqual(served.sort());
  });

  it('gives every operation a unique operationId', () => {
    const ids = [...pathOperations, ...webhookOperations].map(({ operation }) => operation.operationId);
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('describes the body of every answer of every route', () => {
    const bodiless = pathOperations.flatMap(({ where, operation }) =>
      Object.entries(operation.responses).filter(([, response]) => !response.content && !response.$ref).map(([status]) => `${where} ${status}`),
    );
    expect(bodiless).toEqual([]);
  });

  it('declares the Idempotency-Key header of ticket actions', () => {
    const act = pathOperations.find(({ where }) => where === 'post /tickets/{id}/actions')!.operation;
    expect(act.parameters?.filter((parameter) => parameter.in === 'header').map((parameter) => parameter.name)).toEqual(['Idempotency-Key']);
  });

  it('accepts either signature scheme on the marketplace routes, with the headers of each', () => {
    for (const where of ['post /webhooks/{marketplace}', 'get /webhooks/{marketplace}/events/{id}']) {
      const operation = pathOperations.find((candidate) => candidate.where === where)!.operation as Operation & { security: unknown };
      const admin = where.startsWith('get') ? [{ bearer: [] }] : []; // an admin may ask for an event's status
      expect(operation.security).toEqual([{ webhookSignature: [] }, { standardWebhookSignature: [] }, ...admin]);
      expect(operation.parameters?.filter((parameter) => parameter.in === 'header').map((parameter) => parameter.name)).toEqual(['X-Aftercare-Timestamp', 'webhook-id', 'webhook-timestamp']);
    }
  });

  it('describes every callback and on-call payload under `webhooks`, with the signature headers', () => {
    expect(Object.keys(document.webhooks).sort()).toEqual([...CALLBACK_TYPES, 'event.rejected', 'sla.breached', 'sla.warning', 'ticket.escalated'].sort());
    for (const { where, operation } of webhookOperations) {
      const signedBy = where.includes('sla.') || where.includes('ticket.escalated') ? ['X-Aftercare-Timestamp', 'X-Aftercare-Signature'] : ['X-Aftercare-Timestamp', 'X-Aftercare-Signature', 'webhook-id', 'webhook-timestamp', 'webhook-signature'];
      expect(operation.parameters?.map((parameter) => parameter.name)).toEqual([...signedBy, 'X-Aftercare-Delivery']);
    }
  });
});

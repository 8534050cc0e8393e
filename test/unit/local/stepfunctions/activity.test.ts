import { setImmediate as nextTurn } from 'node:timers/promises';
import { callbackMachine, createHarness, FN, type Harness } from './harness';

/** A promise and the function that resolves it, to hold a fake Lambda mid-call. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

describe('local Step Functions: activity tracking', () => {
  let h: Harness;

  beforeEach(() => {
    h = createHarness();
  });

  afterEach(async () => {
    await h.sfn.close();
  });

  it('is busy while a Lambda runs, idle while parked on a token, busy again the moment the callback comes', async () => {
    const called = gate();
    const prepare = gate();
    h.functions.set('prepare', async () => {
      called.open();
      await prepare.opened;
      return { seconds: 900 };
    });
    const execution = h.start(h.register(callbackMachine));

    expect(h.activity.busyCount).toBeGreaterThan(0);
    await called.opened;
    for (let turn = 0; turn < 10; turn += 1) await nextTurn();
    expect(h.activity.busyCount).toBeGreaterThan(0);

    prepare.open();
    await h.activity.settled(5_000);
    expect(h.calls.get('notify')).toHaveLength(1);
    expect(h.activity.busyCount).toBe(0);
    expect(h.status(execution)).toBe('RUNNING');

    h.sfn.sendTaskSuccess({ taskToken: h.tokenSentTo('notify'), output: '{}' });
    expect(h.activity.busyCount).toBeGreaterThan(0);

    await h.activity.settled(5_000);
    expect(h.status(execution)).toBe('SUCCEEDED');
    expect(h.activity.busyCount).toBe(0);
  });

  it('is idle while a Wait is parked on the clock, and an advance returns only once the work after it is done', async () => {
    const called = gate();
    const after = gate();
    h.functions.set('after', async (payload) => {
      called.open();
      await after.opened;
      return payload;
    });
    const execution = h.start(
      h.register({
        StartAt: 'Pause',
        States: {
          Pause: { Type: 'Wait', Seconds: 10, Next: 'After' },
          After: { Type: 'Task', Resource: `${FN}after`, End: true },
        },
      }),
    );
    await h.activity.settled(5_000);
    expect(h.activity.busyCount).toBe(0);

    let advanced = false;
    const advancing = h.advance(10).then(() => {
      advanced = true;
    });
    await called.opened;
    for (let turn = 0; turn < 10; turn += 1) await nextTurn();
    expect(h.activity.busyCount).toBeGreaterThan(0);
    expect(advanced).toBe(false);

    after.open();
    await advancing;
    expect(h.status(execution)).toBe('SUCCEEDED');
  });

  it('is busy from the moment a clock timeout fires until the caught path has run', async () => {
    h.functions.set('prepare', () => ({ seconds: 60 }));
    const execution = h.start(h.register(callbackMachine));
    await h.advance(60);
    expect(h.statesEntered(execution).at(-1)).toBe('TimedOut');
    expect(h.status(execution)).toBe('SUCCEEDED');
    expect(h.activity.busyCount).toBe(0);
  });
});

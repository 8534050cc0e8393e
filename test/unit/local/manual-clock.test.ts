import { ClockBackwardsError, ManualClock } from '../../../infra/local/clock/manual-clock';

const START = Date.parse('2026-01-01T00:00:00.000Z');
const DAY = 86_400;

describe('ManualClock', () => {
  it('stands still until advanced', () => {
    const clock = new ManualClock(START);
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(clock.nowMs()).toBe(START);
  });

  it('fires due timers in due order, each at its own time, and not the ones still ahead', async () => {
    const clock = new ManualClock(START);
    const fired: string[] = [];
    clock.schedule(START + 30_000, () => fired.push(`b@${clock.nowMs() - START}`));
    clock.schedule(START + 10_000, () => fired.push(`a@${clock.nowMs() - START}`));
    clock.schedule(START + 90_000, () => fired.push('c'));

    const now = await clock.advance(60);

    expect(fired).toEqual(['a@10000', 'b@30000']);
    expect(now.getTime()).toBe(START + 60_000);
    expect(clock.pendingDueTimes()).toEqual([START + 90_000]);
  });

  it('fires a 30-day timer only when 30 days have passed', async () => {
    const clock = new ManualClock(START);
    const fired = jest.fn();
    clock.schedule(START + 30 * DAY * 1000, fired);

    await clock.advance(30 * DAY - 1);
    expect(fired).not.toHaveBeenCalled();

    await clock.advance(1);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it('lets the work a timer starts settle before the next timer fires', async () => {
    const clock = new ManualClock(START);
    const order: string[] = [];
    // The first timer schedules a follow-up inside the same advance window; it must fire too.
    clock.schedule(START + 1_000, () => {
      order.push('first');
      clock.schedule(clock.nowMs() + 1_000, () => order.push('follow-up'));
    });
    clock.schedule(START + 5_000, () => order.push('last'));
    const settle = jest.fn(async () => {
      order.push('settle');
    });

    await clock.advance(10, settle);

    expect(order).toEqual(['settle', 'first', 'settle', 'follow-up', 'settle', 'last', 'settle', 'settle']);
  });

  it('does not fire cancelled timers', async () => {
    const clock = new ManualClock(START);
    const fired = jest.fn();
    clock.schedule(START + 1_000, fired).cancel();
    await clock.advance(5);
    expect(fired).not.toHaveBeenCalled();
  });

  it('resolves sleepUntil on the clock and rejects it on abort', async () => {
    const clock = new ManualClock(START);
    const woke = jest.fn();
    const sleeping = clock.sleepUntil(START + 2_000).then(woke);
    await clock.advance(1);
    expect(woke).not.toHaveBeenCalled();
    await clock.advance(1);
    await sleeping;
    expect(woke).toHaveBeenCalledTimes(1);

    const controller = new AbortController();
    const aborted = clock.sleepUntil(START + 60_000, controller.signal);
    controller.abort(new Error('stopped'));
    await expect(aborted).rejects.toThrow('stopped');
    expect(clock.pendingDueTimes()).toEqual([]);
  });

  it('refuses to go backwards', async () => {
    const clock = new ManualClock(START);
    await expect(clock.advance(-1)).rejects.toThrow(RangeError);
    expect(clock.nowMs()).toBe(START);
  });

  it('moves forward to a chosen moment, firing the timers due on the way in order', async () => {
    const clock = new ManualClock(START);
    const fired: string[] = [];
    clock.schedule(START + 2 * DAY * 1000, () => fired.push(`b@${new Date(clock.nowMs()).toISOString()}`));
    clock.schedule(START + DAY * 1000, () => fired.push(`a@${new Date(clock.nowMs()).toISOString()}`));
    clock.schedule(START + 4 * DAY * 1000, () => fired.push('c'));

    const now = await clock.advanceTo(Date.parse('2026-01-03T09:00:00.000Z'));

    expect(now.toISOString()).toBe('2026-01-03T09:00:00.000Z');
    expect(fired).toEqual(['a@2026-01-02T00:00:00.000Z', 'b@2026-01-03T00:00:00.000Z']);
  });

  it('never moves back: a moment already passed is refused and the clock stays', async () => {
    const clock = new ManualClock(START);
    await clock.advance(60);
    await expect(clock.advanceTo(START)).rejects.toThrow(ClockBackwardsError);
    await expect(clock.advanceTo(START)).rejects.toThrow('the clock only moves forward: it is at 2026-01-01T00:01:00.000Z, after 2026-01-01T00:00:00.000Z');
    expect(clock.nowMs()).toBe(START + 60_000);
    expect((await clock.advanceTo(START + 60_000)).getTime()).toBe(START + 60_000);
  });
});

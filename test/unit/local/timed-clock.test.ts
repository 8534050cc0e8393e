import { MAX_TIMER_DELAY_MS } from '../../../infra/local/clock/local-clock';
import { createClock } from '../../../infra/local/clock/parse-clock';
import { TimedClock } from '../../../infra/local/clock/timed-clock';

const START = Date.parse('2026-01-01T00:00:00.000Z');

describe('TimedClock', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: START });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('follows real time in real mode', () => {
    const clock = new TimedClock(1, START);
    jest.advanceTimersByTime(5_000);
    expect(clock.nowMs()).toBe(START + 5_000);
    expect(clock.mode).toBe('real');
  });

  it('runs N times faster in scaled mode, timers included', () => {
    const clock = new TimedClock(60, START);
    const fired = jest.fn();
    clock.schedule(START + 60 * 60_000, fired); // one clock hour = one real minute

    jest.advanceTimersByTime(59_000);
    expect(fired).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1_000);
    expect(fired).toHaveBeenCalledTimes(1);
    expect(clock.nowMs()).toBe(START + 60 * 60_000);
    expect(clock.mode).toBe('scaled');
  });

  it('fires a wait longer than Node\'s timer limit on time, not at once', () => {
    const clock = new TimedClock(1, START);
    const fired = jest.fn();
    const thirtyDays = 30 * 86_400_000;
    expect(thirtyDays).toBeGreaterThan(MAX_TIMER_DELAY_MS);
    clock.schedule(START + thirtyDays, fired);

    jest.advanceTimersByTime(1);
    expect(fired).not.toHaveBeenCalled();
    jest.advanceTimersByTime(thirtyDays - 2);
    expect(fired).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it('cancels timers, also on dispose', () => {
    const clock = new TimedClock(1, START);
    const cancelled = jest.fn();
    const disposed = jest.fn();
    clock.schedule(START + 1_000, cancelled).cancel();
    clock.schedule(START + 2_000, disposed);
    clock.dispose();
    jest.advanceTimersByTime(10_000);
    expect(cancelled).not.toHaveBeenCalled();
    expect(disposed).not.toHaveBeenCalled();
  });
});

describe('createClock', () => {
  it('builds each mode from its --clock spelling', () => {
    expect(createClock('real').mode).toBe('real');
    expect(createClock('scaled:10').mode).toBe('scaled');
    expect(createClock('manual').mode).toBe('manual');
  });

  it.each(['', 'fast', 'scaled:', 'scaled:0', 'scaled:0.5', 'scaled:x'])('rejects %p with a message saying what is allowed', (spec) => {
    expect(() => createClock(spec)).toThrow(/--clock must be "real", "scaled:N" \(N >= 1\) or "manual"/);
  });
});

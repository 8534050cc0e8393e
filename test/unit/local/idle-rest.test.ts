import { IDLE_POLL_MAX_MS, IDLE_POLL_MIN_MS, IdleRest } from '../../../infra/local/idle-rest';

/** How many real milliseconds (on jest's fake timers) a rest lasts, to the millisecond. */
async function lengthOf(rest: Promise<void>): Promise<number> {
  let ended = false;
  void rest.then(() => (ended = true));
  for (let ms = 1; ms <= 10_000; ms += 1) {
    await jest.advanceTimersByTimeAsync(1);
    if (ended) return ms;
  }
  throw new Error('the rest did not end within 10 s');
}

describe('IdleRest (local pollers)', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('rests twice as long after each empty poll, up to the most, and the least again once a poll finds work', async () => {
    const idle = new IdleRest(IDLE_POLL_MIN_MS, IDLE_POLL_MAX_MS);
    const rests: number[] = [];
    for (let poll = 0; poll < 6; poll += 1) rests.push(await lengthOf(idle.afterEmptyPoll()));
    expect(rests).toEqual([25, 50, 100, 200, 250, 250]);

    idle.found();
    expect(await lengthOf(idle.afterEmptyPoll())).toBe(25);
    expect(await lengthOf(idle.afterEmptyPoll())).toBe(50);
  });

  it('ends a rest at once when woken, and a wake with no one resting changes nothing', async () => {
    const idle = new IdleRest(IDLE_POLL_MIN_MS, IDLE_POLL_MAX_MS);
    idle.wake();
    for (let poll = 0; poll < 4; poll += 1) await lengthOf(idle.afterEmptyPoll());

    const resting = idle.afterEmptyPoll();
    let ended = false;
    void resting.then(() => (ended = true));
    await jest.advanceTimersByTimeAsync(10);
    expect(ended).toBe(false);
    idle.wake();
    await jest.advanceTimersByTimeAsync(0);
    expect(ended).toBe(true);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('rests a given time (after an error) and wakes from that too', async () => {
    const idle = new IdleRest(IDLE_POLL_MIN_MS, IDLE_POLL_MAX_MS);
    expect(await lengthOf(idle.restFor(500))).toBe(500);

    const resting = idle.restFor(500);
    let ended = false;
    void resting.then(() => (ended = true));
    idle.wake();
    await jest.advanceTimersByTimeAsync(0);
    expect(ended).toBe(true);
    // The error's rest leaves the idle rests where they were.
    expect(await lengthOf(idle.afterEmptyPoll())).toBe(25);
  });
});

import {
  CARD_PAINT_MEASURE,
  CARD_PAINTED_MARK,
  HEALTH_DATA_MARK,
  markCardPaintedAfterNextFrame,
  markHealthDataArrived,
  PERF_MARKS_FLAG,
} from './perf';

const globals = globalThis as Record<string, unknown>;

/** A User Timing stand-in (jsdom has none) that records marks and measures by name. */
function fakePerformance() {
  const entries: string[] = [];
  return {
    entries,
    mark: jest.fn((name: string) => entries.push(name)),
    measure: jest.fn((name: string) => entries.push(name)),
    getEntriesByName: jest.fn((name: string) =>
      entries.filter(e => e === name),
    ),
  };
}

describe('perf marks', () => {
  const saved = {
    performance: globalThis.performance,
    requestAnimationFrame: globalThis.requestAnimationFrame,
    cancelAnimationFrame: globalThis.cancelAnimationFrame,
  };
  let perf: ReturnType<typeof fakePerformance>;
  let frames: jest.Mock;

  beforeEach(() => {
    perf = fakePerformance();
    frames = jest.fn((cb: FrameRequestCallback) => {
      cb(0);
      return 1;
    });
    Object.defineProperty(globalThis, 'performance', {
      value: perf,
      configurable: true,
      writable: true,
    });
    globals.requestAnimationFrame = frames;
    globals.cancelAnimationFrame = jest.fn();
  });

  afterEach(() => {
    delete globals[PERF_MARKS_FLAG];
    Object.defineProperty(globalThis, 'performance', {
      value: saved.performance,
      configurable: true,
      writable: true,
    });
    globals.requestAnimationFrame = saved.requestAnimationFrame;
    globals.cancelAnimationFrame = saved.cancelAnimationFrame;
  });

  it('takes no mark and schedules no frame unless the page opted in', async () => {
    markHealthDataArrived();
    markCardPaintedAfterNextFrame();
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(perf.mark).not.toHaveBeenCalled();
    expect(perf.measure).not.toHaveBeenCalled();
    expect(frames).not.toHaveBeenCalled();
  });

  it('measures from data arrival to the painted frame when window.__OPEN_AMT_PERF__ is true', async () => {
    globals[PERF_MARKS_FLAG] = true;
    markHealthDataArrived();
    markCardPaintedAfterNextFrame();
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(perf.entries).toEqual([
      HEALTH_DATA_MARK,
      CARD_PAINTED_MARK,
      CARD_PAINT_MEASURE,
    ]);
    expect(perf.measure).toHaveBeenCalledWith(
      CARD_PAINT_MEASURE,
      HEALTH_DATA_MARK,
      CARD_PAINTED_MARK,
    );
  });
});

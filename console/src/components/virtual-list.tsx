import { elementScroll, observeElementOffset, observeElementRect, Virtualizer } from '@tanstack/virtual-core';
import type { ComponentChildren } from 'preact';
import { useId, useLayoutEffect, useReducer, useRef, useState } from 'preact/hooks';

/** What a row offers the keyboard: its first link or enabled button (the row itself when it has none). */
const ROW_FOCUS_TARGET = 'a[href], button:not([disabled])';

/**
 * A list that renders only the rows in view (plus a few), so a queue of hundreds of tickets
 * scrolls smoothly: @tanstack/virtual-core does the arithmetic, this binds it to Preact.
 * Rows have a fixed height; the list scrolls inside its own box of `height` pixels.
 *
 * Keyboard: Tab reaches the list; then ↓ ↑, Page Down / Page Up, Home and End move from row
 * to row (scrolling the row into view, even one not rendered yet) and focus the row's link,
 * so Enter opens it. Tab goes on from a row to the rest of the page as usual. Moving focus
 * rather than only scrolling matters: with rows rendered on demand, Tab alone would walk
 * only the rendered window.
 */
export function VirtualList<T>({
  items,
  rowHeight,
  height,
  label,
  hint,
  row,
}: {
  items: readonly T[];
  rowHeight: number;
  height: number;
  label: string;
  /** How to move through the list by keyboard, for screen readers (aria-describedby). */
  hint?: string;
  row: (item: T, index: number) => ComponentChildren;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const hintId = useId();
  /** A row to focus once it is rendered (the keyboard moved to it). */
  const pendingFocus = useRef<number | undefined>(undefined);
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const [virtualizer] = useState(
    () =>
      new Virtualizer<HTMLDivElement, Element>({
        count: items.length,
        getScrollElement: () => scrollRef.current,
        estimateSize: () => rowHeight,
        overscan: 8,
        observeElementRect,
        observeElementOffset,
        scrollToFn: elementScroll,
        onChange: () => rerender(undefined as never),
      }),
  );
  virtualizer.setOptions({ ...virtualizer.options, count: items.length, estimateSize: () => rowHeight });
  useLayoutEffect(() => virtualizer._didMount(), [virtualizer]);
  useLayoutEffect(() => virtualizer._willUpdate());
  useLayoutEffect(() => {
    if (pendingFocus.current === undefined) return;
    const rowElement = scrollRef.current?.querySelector<HTMLElement>(`[data-index="${pendingFocus.current}"]`);
    if (!rowElement) return; // not rendered yet: the scroll's next render brings it
    pendingFocus.current = undefined;
    (rowElement.querySelector<HTMLElement>(ROW_FOCUS_TARGET) ?? rowElement).focus();
  });

  const moveTo = (index: number) => {
    const target = Math.max(0, Math.min(items.length - 1, index));
    pendingFocus.current = target;
    virtualizer.scrollToIndex(target, { align: 'auto' });
    rerender(undefined as never);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (items.length === 0 || event.altKey || event.ctrlKey || event.metaKey) return;
    const from = (event.target as HTMLElement).closest<HTMLElement>('[data-index]');
    // From the list itself, the first move lands on the first row (or, for End, the last).
    const current = from ? Number(from.dataset.index) : -1;
    const page = Math.max(1, Math.floor(height / rowHeight) - 1);
    const targets: Record<string, number> = {
      ArrowDown: current + 1,
      ArrowUp: current === -1 ? 0 : current - 1,
      PageDown: current === -1 ? 0 : current + page,
      PageUp: current - page,
      Home: 0,
      End: items.length - 1,
    };
    const target = targets[event.key];
    if (target === undefined) return;
    event.preventDefault();
    moveTo(target);
  };

  return (
    <>
      {hint && (
        <span id={hintId} class="sr-only">
          {hint}
        </span>
      )}
      <div
        ref={scrollRef}
        class="virtual-list"
        style={{ height: `${height}px`, overflowY: 'auto' }}
        role="list"
        aria-label={label}
        aria-describedby={hint ? hintId : undefined}
        tabIndex={0}
        data-rows={items.length}
        onKeyDown={onKeyDown}
      >
        <div style={{ height: `${virtualizer.getTotalSize()}px`, position: 'relative' }}>
          {virtualizer.getVirtualItems().map((virtual) => (
            <div
              role="listitem"
              key={virtual.key}
              data-index={virtual.index}
              tabIndex={-1}
              aria-setsize={items.length}
              aria-posinset={virtual.index + 1}
              style={{ position: 'absolute', top: 0, left: 0, right: 0, height: `${rowHeight}px`, transform: `translateY(${virtual.start}px)` }}
            >
              {row(items[virtual.index]!, virtual.index)}
            </div>
          ))}
        </div>
      </div>
    </>
  );
}

import { elementScroll, observeElementOffset, observeElementRect, Virtualizer } from '@tanstack/virtual-core';
import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useReducer, useRef, useState } from 'preact/hooks';

/**
 * A list that renders only the rows in view (plus a few), so a queue of hundreds of tickets
 * scrolls smoothly: @tanstack/virtual-core does the arithmetic, this binds it to Preact.
 * Rows have a fixed height; the list scrolls inside its own box of `height` pixels.
 */
export function VirtualList<T>({
  items,
  rowHeight,
  height,
  label,
  row,
}: {
  items: readonly T[];
  rowHeight: number;
  height: number;
  label: string;
  row: (item: T, index: number) => ComponentChildren;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
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

  return (
    <div ref={scrollRef} class="virtual-list" style={{ height: `${height}px`, overflowY: 'auto' }} role="list" aria-label={label} tabIndex={0} data-rows={items.length}>
      <div style={{ height: `${virtualizer.getTotalSize()}px`, position: 'relative' }}>
        {virtualizer.getVirtualItems().map((virtual) => (
          <div
            role="listitem"
            key={virtual.key}
            aria-setsize={items.length}
            aria-posinset={virtual.index + 1}
            style={{ position: 'absolute', top: 0, left: 0, right: 0, height: `${rowHeight}px`, transform: `translateY(${virtual.start}px)` }}
          >
            {row(items[virtual.index]!, virtual.index)}
          </div>
        ))}
      </div>
    </div>
  );
}

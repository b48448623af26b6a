import { html, raw } from 'hono/html';

export { html, raw };

/** What every view returns: escaped HTML, possibly still resolving nested async parts. */
export type Html = ReturnType<typeof html>;

/** Joins a list of fragments (an array interpolated into `html` is flattened and kept escaped). */
export const each = <T>(items: readonly T[], render: (item: T, index: number) => Html): Html[] =>
  items.map(render);

/** A fragment rendered only when `condition` holds. */
export const when = (condition: unknown, render: () => Html): Html | '' => (condition ? render() : '');

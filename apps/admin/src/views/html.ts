import { html } from 'hono/html';

export { html };

/** What every view returns: escaped HTML, possibly still resolving nested async parts. */
export type Html = ReturnType<typeof html>;

/** A fragment rendered only when `condition` holds. */
export const when = (condition: unknown, render: () => Html): Html | '' => (condition ? render() : '');

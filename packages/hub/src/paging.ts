export interface PageRequest {
  /** 1-based. */
  page?: number;
  pageSize?: number;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

const MAX_PAGE_SIZE = 500;

export async function pageOf<T>(
  request: PageRequest,
  load: (limit: number, offset: number) => Promise<{ items: T[]; total: number }>,
): Promise<Page<T>> {
  const page = Math.max(1, Math.floor(request.page ?? 1));
  const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(request.pageSize ?? 50)));
  const { items, total } = await load(pageSize, (page - 1) * pageSize);
  return { items, total, page, pageSize };
}

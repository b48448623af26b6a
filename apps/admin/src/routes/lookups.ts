import type { DataArea } from '@renkei/core';
import type { Hub } from '@renkei/hub';

/** Display names the pages need beside ids: users, and data areas (cached: they come from the vendor). */
export function createLookups(hub: Hub, ttlMs = 5 * 60_000) {
  const areaCache = new Map<string, { at: number; areas: Promise<DataArea[]> }>();

  function dataAreas(connectionId: string): Promise<DataArea[]> {
    const cached = areaCache.get(connectionId);
    if (cached && Date.now() - cached.at < ttlMs) return cached.areas;
    const areas = hub.connections.dataAreas(connectionId);
    areaCache.set(connectionId, { at: Date.now(), areas });
    areas.catch(() => areaCache.delete(connectionId));
    return areas;
  }

  return {
    dataAreas,
    /** Area id → name; empty where the vendor has no areas or cannot be reached (pages show ids). */
    async areaNames(connectionId: string, hasDataAreas: boolean): Promise<Map<string, string>> {
      if (!hasDataAreas) return new Map();
      try {
        return new Map((await dataAreas(connectionId)).map((area) => [area.id, area.name]));
      } catch {
        return new Map();
      }
    },
    async userNames(): Promise<Map<string, string>> {
      return new Map((await hub.users.list()).map((user) => [user.id, user.name]));
    },
  };
}

export type Lookups = ReturnType<typeof createLookups>;

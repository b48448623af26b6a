import { z } from 'zod';
import { HubError } from '../errors.ts';

/** Every schedule is read in Japan's time, whatever the server's zone. */
export const SCHEDULE_TIME_ZONE = 'Asia/Tokyo';

export const SchedulePreset = z.enum(['daily', 'weekdays', 'hourly', 'custom']);
export type SchedulePreset = z.infer<typeof SchedulePreset>;

export const SCHEDULE_PRESET_LABELS: Record<SchedulePreset, string> = {
  daily: '毎日',
  weekdays: '平日（月〜金）',
  hourly: '毎時',
  custom: 'cron式で指定',
};

/** The cron of a preset at `hour`:`minute` (毎時 uses the minute only). */
export function presetCron(preset: Exclude<SchedulePreset, 'custom'>, hour: number, minute: number): string {
  if (preset === 'hourly') return `${minute} * * * *`;
  return preset === 'daily' ? `${minute} ${hour} * * *` : `${minute} ${hour} * * 1-5`;
}

const FIELD = /^[0-9A-Za-z*,/-]+$/;
const CRON_ERROR =
  'cron式の書式が正しくありません。「分 時 日 月 曜日」の5項目を半角スペースで区切って入力してください（例: 0 6 * * 1-5 は平日の6:00）。';

/**
 * A five-field cron (分 時 日 月 曜日) as pg-boss evaluates it, or a validation error in Japanese.
 * `preview` is pg-boss's own walk, so what is accepted here is exactly what the queue can fire.
 */
export function validateCron(cron: string, preview: (cron: string) => Date[]): string {
  const trimmed = cron.trim().replace(/\s+/g, ' ');
  const fields = trimmed.split(' ');
  if (trimmed.length > 100 || fields.length !== 5 || !fields.every((field) => FIELD.test(field))) {
    throw new HubError('validation', CRON_ERROR, { issues: [{ field: 'record', message: CRON_ERROR }] });
  }
  try {
    if (preview(trimmed).length === 0) throw new Error('never fires');
  } catch {
    throw new HubError('validation', CRON_ERROR, { issues: [{ field: 'record', message: CRON_ERROR }] });
  }
  return trimmed;
}

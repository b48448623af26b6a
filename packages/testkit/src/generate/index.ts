export { type DriftOptions, type DriftResult, drift } from './drift.ts';
export { type GenerateOptions, generateEmployees, REFERENCE_DATE } from './employees.ts';
export {
  BANKS,
  DEPARTMENTS,
  EMPLOYEE_CATEGORIES,
  EMPLOYMENT_TYPES,
  type EmploymentType,
  findEmploymentType,
  JOB_TITLES,
  type JobTitle,
} from './masters.ts';
export { PREFECTURES } from './places.ts';

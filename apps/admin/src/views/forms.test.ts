import { describeCredentials } from '@renkei/core';
import { type DefaultTreeAdapterTypes, parse } from 'parse5';
import { describe, expect, it } from 'vitest';
import { createDemoVendors } from '../demo/vendors.ts';
import { choiceField, errorSummary, field } from './components.ts';
import { connectionSettingsPage } from './connectors.ts';
import { csvImportPage, EDITABLE_DATE_FIELDS, EDITABLE_TEXT_FIELDS, employeeEditPage } from './employees.ts';
import type { Html } from './html.ts';
import { loginPage } from './login.ts';
import { setupPage } from './setup.ts';
import { resetPasswordPage, usersPage } from './users.ts';
import { areaStepPage } from './wizard.ts';

type Node = DefaultTreeAdapterTypes.Node;
type Element = DefaultTreeAdapterTypes.Element;

const chrome = {
  viewer: { name: '管理者', email: 'admin@example.jp', role: 'admin' as const },
  unread: 0,
  csrfToken: 'token',
};

const isElement = (node: Node): node is Element => 'tagName' in node;

function elements(node: Node): Element[] {
  const children = 'childNodes' in node ? node.childNodes : [];
  const content = isElement(node) && node.tagName === 'template' ? [] : children;
  return [...(isElement(node) ? [node] : []), ...content.flatMap(elements)];
}

const attr = (element: Element, name: string): string | undefined =>
  element.attrs.find((candidate) => candidate.name === name)?.value;

function textOf(node: Node): string {
  if (node.nodeName === '#text') return (node as DefaultTreeAdapterTypes.TextNode).value;
  return 'childNodes' in node ? node.childNodes.map(textOf).join('') : '';
}

const render = async (view: Html | ''): Promise<Element[]> => elements(parse(String(await view)));

/** Every control the page marks invalid, with the messages its aria-describedby points at. */
function invalidFields(all: Element[]) {
  const byId = new Map(
    all.flatMap((element) => (attr(element, 'id') ? [[attr(element, 'id'), element]] : [])),
  );
  return all
    .filter((element) => attr(element, 'aria-invalid') === 'true')
    .map((element) => ({
      name: attr(element, 'name') ?? '',
      described: (attr(element, 'aria-describedby') ?? '')
        .split(/\s+/)
        .filter(Boolean)
        .map((id) => byId.get(id)),
    }));
}

/**
 * The error markup contract: every field with an error, and only those, is aria-invalid; its
 * aria-describedby names an element that exists and holds its message; the error summary links
 * each message to the field's control.
 */
async function expectErrorsTied(view: Html, errors: Record<string, string>) {
  const all = await render(view);
  const invalid = invalidFields(all);
  const names = Object.keys(errors).filter((name) => name !== '_form');
  expect(new Set(invalid.map((control) => control.name))).toEqual(new Set(names));
  for (const control of invalid) {
    expect(control.described, control.name).not.toContain(undefined);
    const messages = control.described.map((target) => (target ? textOf(target).trim() : ''));
    expect(messages, control.name).toContain(errors[control.name]);
  }
  const summary = all.find((element) => attr(element, 'data-error-summary') !== undefined);
  expect(summary, 'error summary').toBeDefined();
  const links = summary ? elements(summary).filter((element) => element.tagName === 'a') : [];
  expect(links.map((link) => textOf(link).trim())).toEqual(names.map((name) => errors[name]));
  const ids = new Set(all.map((element) => attr(element, 'id')));
  for (const link of links)
    expect(ids.has((attr(link, 'href') ?? '').slice(1)), attr(link, 'href')).toBe(true);
}

/** A distinct message per field, so a message tied to the wrong field shows. */
const errorsFor = (names: readonly string[]) =>
  Object.fromEntries(names.map((name) => [name, `${name} を確認してください。`]));

describe('error markup: every invalid field is aria-invalid and described by its message', () => {
  it('field(): no error, no aria-invalid; help and error both described', async () => {
    const [valid] = invalidFields(await render(field({ name: 'x', label: 'X', help: 'ヘルプ' })));
    expect(valid).toBeUndefined();
    const all = await render(field({ name: 'x', label: 'X', help: 'ヘルプ', error: 'エラー' }));
    const [control] = invalidFields(all);
    expect(control?.described.map((target) => target && textOf(target))).toEqual(['エラー', 'ヘルプ']);
    const select = await render(
      field({ name: 'y', label: 'Y', error: '選んでください', options: [{ value: 'a', label: 'A' }] }),
    );
    expect(invalidFields(select).map((invalid) => invalid.name)).toEqual(['y']);
  });

  it('choiceField(): every radio of the group is aria-invalid and described', async () => {
    const all = await render(
      choiceField({
        name: 'area',
        label: '領域',
        error: '選んでください',
        choices: [
          { value: 'a', label: 'A', checked: false },
          { value: 'b', label: 'B', checked: false },
        ],
      }),
    );
    const invalid = invalidFields(all);
    expect(invalid.map((control) => control.name)).toEqual(['area', 'area']);
    for (const control of invalid)
      expect(control.described.map((t) => t && textOf(t))).toEqual(['選んでください']);
    expect(all.find((element) => attr(element, 'id') === 'f-area')?.tagName).toBe('input');
  });

  it('errorSummary(): nothing without field errors; an error of the whole form is not repeated', async () => {
    expect(errorSummary({}, ['a'])).toBe('');
    expect(errorSummary({ _form: '全体' }, ['a'])).toBe('');
  });

  it('sign-in', async () => {
    const errors = errorsFor(['email', 'password']);
    await expectErrorsTied(loginPage({ csrfToken: 't', errors }), errors);
  });

  it('connection settings: display name, every credential, the OrgRef choice', async () => {
    const connectors = createDemoVendors().map((vendor) => vendor.connector);
    for (const connector of connectors) {
      const credentialFields = describeCredentials(connector.credentials);
      const errors = errorsFor(['displayName', ...credentialFields.map((info) => info.key), 'orgRefMatch']);
      const props = { connector, credentialFields, values: {}, errors };
      const view = connectionSettingsPage(chrome, props);
      const carriesOrgRef = (await render(view)).some((element) => attr(element, 'name') === 'orgRefMatch');
      if (!carriesOrgRef) delete errors.orgRefMatch;
      await expectErrorsTied(connectionSettingsPage(chrome, { ...props, errors }), errors);
    }
  });

  it('employee edit: every text, date and select field', async () => {
    const errors = errorsFor([...EDITABLE_TEXT_FIELDS, ...EDITABLE_DATE_FIELDS, 'gender', 'status']);
    await expectErrorsTied(employeeEditPage(chrome, { employeeCode: '000001', values: {}, errors }), errors);
  });

  it('CSV import: file and encoding', async () => {
    const errors = errorsFor(['file', 'encoding']);
    await expectErrorsTied(csvImportPage(chrome, { errors }), errors);
  });

  it('ユーザー管理: adding a user, resetting a password; the set-up form', async () => {
    const user = {
      id: '00000000-0000-4000-8000-000000000001',
      email: 'member@example.jp',
      name: '閲覧 太郎',
      role: 'member' as const,
      deactivatedAt: null,
      successNotice: 'quiet' as const,
      createdAt: new Date(),
    };
    const add = errorsFor(['name', 'email', 'role', 'password']);
    await expectErrorsTied(usersPage({ chrome, users: [user], selfId: 'x', errors: add }), add);
    const reset = errorsFor(['password']);
    await expectErrorsTied(resetPasswordPage({ chrome, user, errors: reset }), reset);
    const setup = errorsFor(['name', 'email', 'password']);
    await expectErrorsTied(setupPage({ csrfToken: 't', token: 't', errors: setup }), setup);
  });

  it('the wizard: the データ領域 choice', async () => {
    const errors = { dataArea: 'データ領域を選択してください。' };
    const view = areaStepPage(chrome, {
      connection: { id: 'c', displayName: 'PCA' },
      direction: 'import',
      hasDataAreas: true,
      areas: [
        { area: { id: 'A1', name: '本社' }, older: false },
        { area: { id: 'A2', name: '支社' }, older: true },
      ],
      error: errors.dataArea,
    });
    await expectErrorsTied(view, errors);
  });
});

import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiHolder } from '@backstage/core-plugin-api';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { listProviders } from '@open-amt-backstage/plugin-open-amt-common';
import { openAmtApiRef } from '../../api';
import {
  ACME_DB,
  registryWithAcme,
  registryWithout,
} from '../../__testUtils__/acmeProviders';
import { FakeOpenAmtApi } from '../../__testUtils__/FakeOpenAmtApi';
import { OpenAmtProviderPicker } from './OpenAmtProviderPicker';
import { openAmtProviderPickerValidation } from './validation';

async function renderPicker(api: FakeOpenAmtApi, formData?: string) {
  const onChange = jest.fn();
  const props = {
    onChange,
    formData,
    required: true,
    schema: { type: 'string', title: 'Choose the database' },
    uiSchema: { 'ui:options': { kind: 'database' } },
    idSchema: { $id: 'root_database' },
  } as any;
  await renderInTestApp(
    <TestApiProvider apis={[[openAmtApiRef, api]]}>
      <OpenAmtProviderPicker {...props} />
    </TestApiProvider>,
  );
  return onChange;
}

const rowOf = (label: string) =>
  screen.getByText(label).closest('label') as HTMLElement;

async function validate(api: FakeOpenAmtApi, value: string) {
  const errors: string[] = [];
  const apiHolder: ApiHolder = {
    get: ref => (ref.id === openAmtApiRef.id ? (api as any) : undefined),
  };
  await openAmtProviderPickerValidation(
    value,
    { addError: (e: string) => errors.push(e) } as any,
    { apiHolder, uiSchema: { 'ui:options': { kind: 'database' } } } as any,
  );
  return errors;
}

describe('OpenAmtProviderPicker with the backend registry', () => {
  it('offers a provider an adopter added with its own label, level and texts', async () => {
    const api = new FakeOpenAmtApi();
    api.providers = registryWithAcme();
    const onChange = await renderPicker(api);

    await screen.findByText('Acme DB');
    const acme = within(rowOf('Acme DB'));
    expect(acme.getByTestId('support-level-custom')).toHaveTextContent(
      'Custom',
    );
    expect(acme.getByText(ACME_DB.implication)).toBeInTheDocument();
    expect(acme.getByTestId('not-verified-acme-db')).toHaveTextContent(
      'Not verified: only tried against the Acme sandbox.',
    );
    expect(screen.getAllByRole('radio')).toHaveLength(
      listProviders('database').length + 1,
    );
    expect(screen.queryByTestId('root_database-built-in-only')).toBeNull();
    await userEvent.click(screen.getByRole('radio', { name: /Acme DB/ }));
    expect(onChange).toHaveBeenCalledWith('acme-db');
    // One request however many pickers and validators ask.
    expect(await validate(api, 'acme-db')).toEqual([]);
    expect(api.calls.providers).toBe(1);
  });

  it('does not invent a provider the backend does not list, not even a built-in one', async () => {
    const api = new FakeOpenAmtApi();
    api.providers = registryWithout('mariadb');
    await renderPicker(api);
    await screen.findByText('PostgreSQL (self-hosted)');
    await screen
      .findAllByRole('radio')
      .then(radios =>
        expect(radios).toHaveLength(listProviders('database').length - 1),
      );
    expect(screen.queryByText('MariaDB')).toBeNull();
    expect(screen.queryByText('Acme DB')).toBeNull();
    expect(await validate(api, 'mariadb')).toEqual([
      expect.stringMatching(
        /^Unknown database provider "mariadb"\. Choose one of: postgresql, /,
      ),
    ]);
    expect(await validate(api, 'acme-db')).toHaveLength(1);
  });

  it('shows the built-in list while the answer is on its way', async () => {
    const api = new FakeOpenAmtApi();
    api.providersFailure = 'pending';
    await renderPicker(api);
    expect(screen.getAllByRole('radio')).toHaveLength(
      listProviders('database').length,
    );
    expect(screen.getByText('MariaDB')).toBeInTheDocument();
    expect(screen.queryByText('Acme DB')).toBeNull();
    // Loading is not a failure: no note.
    expect(screen.queryByTestId('root_database-built-in-only')).toBeNull();
  });

  it('falls back to the built-in list when the call fails, and says so', async () => {
    const api = new FakeOpenAmtApi();
    api.providersFailure = new Error('503 Service Unavailable');
    await renderPicker(api);
    expect(
      await screen.findByTestId('root_database-built-in-only'),
    ).toHaveTextContent(
      "The portal's provider list could not be read, so only the built-in providers are shown",
    );
    expect(screen.getAllByRole('radio')).toHaveLength(
      listProviders('database').length,
    );
    expect(screen.getByText('MariaDB')).toBeInTheDocument();
    // The validator checks against the same built-in list (what the form could show).
    expect(await validate(api, 'mariadb')).toEqual([]);
    expect(await validate(api, 'acme-db')).toHaveLength(1);
  });

  it('asks again after a failed call', async () => {
    const api = new FakeOpenAmtApi();
    api.providersFailure = new Error('503 Service Unavailable');
    expect(await validate(api, 'acme-db')).toHaveLength(1);
    api.providersFailure = undefined;
    api.providers = registryWithAcme();
    expect(await validate(api, 'acme-db')).toEqual([]);
    expect(api.calls.providers).toBe(2);
  });
});

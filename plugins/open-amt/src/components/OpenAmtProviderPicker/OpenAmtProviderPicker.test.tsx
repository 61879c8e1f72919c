import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/test-utils';
import {
  FieldExtensionOptions,
  ScaffolderFieldExtensions,
  useCustomFieldExtensions,
} from '@backstage/plugin-scaffolder-react';
import { listProviders } from '@open-amt-backstage/plugin-open-amt-common';
import { OpenAmtProviderPicker } from './OpenAmtProviderPicker';
import { openAmtProviderPickerValidation } from './validation';
import { OpenAmtProviderPickerFieldExtension } from '../../plugin';

function renderPicker(
  kind: 'database' | 'secrets' | 'gateway',
  formData?: string,
  rawErrors?: string[],
) {
  const onChange = jest.fn();
  const props = {
    onChange,
    formData,
    rawErrors,
    required: true,
    schema: { type: 'string', title: `Choose the ${kind}` },
    uiSchema: { 'ui:options': { kind } },
    idSchema: { $id: `root_${kind}` },
  } as any;
  return renderInTestApp(<OpenAmtProviderPicker {...props} />).then(
    () => onChange,
  );
}

function validate(value: string, kind?: string) {
  const errors: string[] = [];
  openAmtProviderPickerValidation(
    value,
    { addError: (e: string) => errors.push(e) } as any,
    { uiSchema: kind ? { 'ui:options': { kind } } : {} } as any,
  );
  return errors;
}

describe('OpenAmtProviderPicker', () => {
  it('shows every provider of the kind with label, support level and implication', async () => {
    await renderPicker('database');
    expect(screen.getByText('Choose the database')).toBeInTheDocument();
    const radios = screen.getAllByRole('radio');
    expect(radios).toHaveLength(listProviders('database').length);
    const mariadb = screen.getByText('MariaDB').closest('label') as HTMLElement;
    expect(within(mariadb).getByText('Kit')).toBeInTheDocument();
    expect(
      within(mariadb).getByText(
        /this project's MariaDB provider \(MariaDB 10\.6 or later\), which your deployment repository builds into them/,
      ),
    ).toBeInTheDocument();
    expect(
      within(mariadb).queryByText(/custom IDB provider|custom provider/),
    ).toBeNull();
    expect(
      within(mariadb).getByTestId('not-verified-mariadb'),
    ).toHaveTextContent(
      /Not verified: .*tested on a real MariaDB server with both releases' schemas, and run inside upstream MPS and RPS of both releases/,
    );
    const rds = screen
      .getByText('Amazon RDS for PostgreSQL')
      .closest('label') as HTMLElement;
    expect(within(rds).getByText('Native')).toBeInTheDocument();
    expect(
      within(rds).getByText(/Amazon RDS regional CA bundle/),
    ).toBeInTheDocument();
  });

  it("explains the kit chip: a provider this project supplies, built into the images by the deployment's repository", async () => {
    await renderPicker('secrets');
    const keyVault = screen
      .getByText('Azure Key Vault')
      .closest('label') as HTMLElement;
    await userEvent.hover(within(keyVault).getByText('Kit'));
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      'Kit: provider supplied by this project, built into the MPS/RPS images by your deployment repository',
    );
    expect(
      within(keyVault).getByTestId('not-verified-azure-key-vault'),
    ).toHaveTextContent(/contract server .*not against a real vault/);
    const vault = screen
      .getByText('HashiCorp Vault (KV v2)')
      .closest('label') as HTMLElement;
    expect(within(vault).getByText('Native')).toBeInTheDocument();
    expect(within(vault).queryByText('Kit')).toBeNull();
  });

  it('states a vendor limitation under the choice it affects, and only there', async () => {
    await renderPicker('gateway');
    const endpoints = screen
      .getByText('Google Cloud Endpoints (ESPv2)')
      .closest('label') as HTMLElement;
    expect(
      within(endpoints).getByTestId('limitation-google-cloud-endpoints'),
    ).toHaveTextContent(/Not production-ready.*HS256/);
    const kong = screen.getByText(/^Kong/).closest('label') as HTMLElement;
    expect(within(kong).queryByText(/Not production-ready/)).toBeNull();
  });

  it.each(['database', 'secrets', 'gateway'] as const)(
    '%s: a row with a limitation shows "Not production-ready" instead of its support level, never both',
    async kind => {
      await renderPicker(kind);
      const rows = screen
        .getAllByRole('radio')
        .map(radio => radio.closest('label') as HTMLElement);
      const providers = listProviders(kind);
      expect(rows).toHaveLength(providers.length);
      providers.forEach((p, i) => {
        const row = rows[i];
        expect(row).toHaveTextContent(p.label);
        const notReady = within(row).queryAllByTestId(
          'support-level-not-production-ready',
        );
        const level = within(row).queryAllByTestId(
          `support-level-${p.supportLevel}`,
        );
        expect([p.id, notReady.length, level.length]).toEqual(
          p.limitation ? [p.id, 1, 0] : [p.id, 0, 1],
        );
      });
    },
  );

  it('names the limitation in the "Not production-ready" chip\'s tooltip', async () => {
    await renderPicker('gateway');
    const apiGateway = listProviders('gateway').find(
      p => p.id === 'aws-api-gateway',
    )!;
    expect(apiGateway.limitation).toBeDefined();
    const row = screen
      .getByText(apiGateway.label)
      .closest('label') as HTMLElement;
    expect(within(row).queryByText('Native')).toBeNull();
    await userEvent.hover(
      within(row).getByTestId('support-level-not-production-ready'),
    );
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      /remote console \(KVM, SOL, IDER\) does not work/,
    );
  });

  it('states what of a choice is not verified under it, and only there', async () => {
    await renderPicker('gateway');
    const apim = screen
      .getByText('Azure API Management')
      .closest('label') as HTMLElement;
    expect(
      within(apim).getByTestId('not-verified-azure-apim'),
    ).toHaveTextContent(
      /Not verified: Modelled from Microsoft's documentation only/,
    );
    const kong = screen.getByText(/^Kong/).closest('label') as HTMLElement;
    expect(within(kong).queryByText(/Not verified/)).toBeNull();
  });

  it('sets the provider id as the value', async () => {
    const onChange = await renderPicker('secrets');
    await userEvent.click(
      screen.getByRole('radio', { name: /Azure Key Vault/ }),
    );
    expect(onChange).toHaveBeenCalledWith('azure-key-vault');
  });

  it('shows the current value as checked and the form errors', async () => {
    await renderPicker('gateway', 'tyk', ['is required']);
    expect(screen.getByRole('radio', { name: /Tyk Gateway/ })).toBeChecked();
    expect(screen.getByText('is required')).toBeInTheDocument();
  });

  it('rejects ids the registry does not know, per kind', () => {
    expect(validate('mariadb', 'database')).toEqual([]);
    expect(validate('')).toEqual([]);
    expect(validate('mongodb', 'database')[0]).toMatch(
      /Unknown database provider "mongodb"/,
    );
    // A real provider of another kind is still wrong for this field.
    expect(validate('vault', 'gateway')[0]).toMatch(
      /Unknown gateway provider "vault".*kong/,
    );
    expect(validate('nope')[0]).toMatch(/Unknown provider "nope"/);
  });

  it('registers with the scaffolder under the name templates use', async () => {
    let found: FieldExtensionOptions[] = [];
    const Probe = () => {
      found = useCustomFieldExtensions(
        <ScaffolderFieldExtensions>
          <OpenAmtProviderPickerFieldExtension />
        </ScaffolderFieldExtensions>,
      );
      return null;
    };
    await renderInTestApp(<Probe />);
    expect(found.map(f => f.name)).toEqual(['OpenAmtProviderPicker']);
    expect(found[0].validation).toBe(openAmtProviderPickerValidation);
    expect(found[0].schema?.uiOptions).toMatchObject({
      properties: { kind: { enum: ['database', 'secrets', 'gateway'] } },
    });
  });
});

import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/test-utils';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import {
  FieldExtensionOptions,
  ScaffolderFieldExtensions,
  useCustomFieldExtensions,
} from '@backstage/plugin-scaffolder-react';
import { OpenAmtDeploymentNameField } from './OpenAmtDeploymentNameField';
import { openAmtDeploymentNameValidation } from './validation';
import { OpenAmtDeploymentNameFieldExtension } from '../../plugin';
import { OPEN_AMT_DEPLOYMENT_NAME_FIELD } from './formField';

const catalog = catalogApiMock({
  entities: [
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'System',
      metadata: { name: 'open-amt-demo', namespace: 'default' },
      spec: { owner: 'group:default/guests' },
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'factory-east', namespace: 'default' },
      spec: { owner: 'group:default/guests', type: 'service', lifecycle: 'x' },
    },
  ],
});

async function validate(
  value: string,
  formData: Record<string, unknown> = {},
): Promise<string[]> {
  const errors: string[] = [];
  await openAmtDeploymentNameValidation(
    value,
    { addError: (e: string) => errors.push(e) } as any,
    {
      apiHolder: {
        get: (ref: unknown) => (ref === catalogApiRef ? catalog : undefined),
      },
      formData: { name: value, ...formData },
    } as any,
  );
  return errors;
}

describe('OpenAmtDeploymentName field', () => {
  it('refuses a name the catalog already lists as a System, in one sentence', async () => {
    expect(await validate('open-amt-demo')).toEqual([
      'A deployment named open-amt-demo exists already (system:default/open-amt-demo); choose another name: this template creates new deployments.',
    ]);
  });

  it('accepts a new name, and the name of an entity of another kind', async () => {
    expect(await validate('factory-west')).toEqual([]);
    expect(await validate('factory-east')).toEqual([]);
  });

  it('accepts the existing name only when the form changes that deployment', async () => {
    expect(
      await validate('open-amt-demo', {
        changeOf: 'system:default/open-amt-demo',
      }),
    ).toEqual([]);
    expect(
      await validate('open-amt-demo', { changeOf: 'System:open-amt-demo' }),
    ).toEqual([]);
    // Another deployment's change, or an empty changeOf, does not open the way to this name.
    expect(
      await validate('open-amt-demo', {
        changeOf: 'system:default/factory-west',
      }),
    ).toEqual([
      "This form changes system:default/factory-west; a change keeps the deployment's name.",
    ]);
    expect(await validate('open-amt-demo', { changeOf: '' })).toHaveLength(1);
  });

  it('shows the deployment it changes, read-only', async () => {
    await renderInTestApp(
      <OpenAmtDeploymentNameField
        {...({
          onChange: jest.fn(),
          formData: 'open-amt-demo',
          schema: { type: 'string', title: 'Name', description: 'Lowercase' },
          uiSchema: { 'ui:autofocus': true },
          idSchema: { $id: 'root_name' },
          formContext: {
            formData: { changeOf: 'system:default/open-amt-demo' },
          },
        } as any)}
      />,
    );
    const input = screen.getByRole('textbox', { name: 'Name' });
    expect(input).toHaveAttribute('readonly');
    expect(
      screen.getByText(
        'Changing the deployment system:default/open-amt-demo: its name stays.',
      ),
    ).toBeInTheDocument();
  });

  it('is a text field with its label, reporting what is typed', async () => {
    const onChange = jest.fn();
    await renderInTestApp(
      <OpenAmtDeploymentNameField
        {...({
          onChange,
          required: true,
          schema: { type: 'string', title: 'Name', description: 'Lowercase' },
          uiSchema: {},
          idSchema: { $id: 'root_name' },
        } as any)}
      />,
    );
    await userEvent.type(screen.getByRole('textbox', { name: 'Name' }), 'a');
    expect(onChange).toHaveBeenLastCalledWith('a');
  });

  // template.test.ts (scaffolder module) holds the template's name field to this name.
  it('registers under the name the template uses', async () => {
    let found: FieldExtensionOptions[] = [];
    const Probe = () => {
      found = useCustomFieldExtensions(
        <ScaffolderFieldExtensions>
          <OpenAmtDeploymentNameFieldExtension />
        </ScaffolderFieldExtensions>,
      );
      return null;
    };
    await renderInTestApp(<Probe />);
    expect(found.map(f => f.name)).toEqual([OPEN_AMT_DEPLOYMENT_NAME_FIELD]);
    expect(found[0].validation).toBe(openAmtDeploymentNameValidation);
  });
});

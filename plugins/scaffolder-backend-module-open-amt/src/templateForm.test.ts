/**
 * The template's form refuses, before the task starts, what the task's spec would refuse — in a sentence that
 * names the field by its label. The form is validated the way @backstage/plugin-scaffolder-react's Stepper does
 * it (`customizeValidator()` from @rjsf/validator-ajv8 with `ajv-errors`, so a field's `errorMessage` replaces
 * ajv's "must match pattern …"), and its error list prints `'<title>' <message>` (ErrorListTemplate).
 */
import { readFileSync } from 'fs';
import { resolve } from 'path';
import { customizeValidator } from '@rjsf/validator-ajv8';
import ajvErrors from 'ajv-errors';
import { parse } from 'yaml';
import {
  DEPLOYMENT_NAME_MESSAGE,
  DEPLOYMENT_NAME_PATTERN,
  deploymentName,
} from '@open-amt-backstage/plugin-open-amt-common';

const template = parse(
  readFileSync(
    resolve(__dirname, '../../../templates/open-amt-production/template.yaml'),
    'utf8',
  ),
);
const deploymentPage = template.spec.parameters.find(
  (p: any) => p.title === 'Deployment',
);

const validator = customizeValidator();
ajvErrors(validator.ajv);

const validForm = {
  name: 'factory-east',
  owner: 'group:default/guests',
  environment: 'production',
  fqdn: 'mps.example.com',
  target: 'kubernetes',
};

/** The lines the Stepper's error list shows for this page's form data (as ErrorListTemplate formats them). */
function formErrors(formData: Record<string, unknown>): string[] {
  const { errors } = validator.validateFormData(formData, deploymentPage);
  return errors.map(e => {
    const property = (e.property ?? '').replace(/^\./, '');
    const title = deploymentPage.properties[property]?.title;
    return title ? `'${title}' ${e.message}` : e.stack;
  });
}

describe('the template form refuses what the spec refuses', () => {
  const names = [
    // accepted by both
    'factory-east',
    'a',
    '0',
    'prod-2',
    'x'.repeat(63),
    // refused by both
    'My_Deployment',
    'Factory-East',
    'factory_east',
    'factory.east',
    '-factory',
    'factory-',
    'x'.repeat(64),
    'factory east',
    'fabrik-ö',
    '',
  ];

  it.each(names)('name %j: the form and the spec agree', name => {
    const specAccepts = deploymentName.safeParse(name).success;
    const formAccepts = formErrors({ ...validForm, name }).length === 0;
    expect(formAccepts).toBe(specAccepts);
  });

  it('uses the spec’s pattern and message for the name', () => {
    const field = deploymentPage.properties.name;
    expect(field.pattern).toBe(DEPLOYMENT_NAME_PATTERN.source);
    expect(field.errorMessage).toBe(DEPLOYMENT_NAME_MESSAGE);
  });

  it('says what is wrong with the name by its label, in a sentence and not a regex', () => {
    expect(formErrors({ ...validForm, name: 'My_Deployment' })).toEqual([
      `'Name' ${DEPLOYMENT_NAME_MESSAGE}`,
    ]);
    expect(DEPLOYMENT_NAME_MESSAGE).not.toMatch(/[\^$\\[\]{}]/);
    const spec = deploymentName.safeParse('My_Deployment');
    expect(spec.success || spec.error.issues[0].message).toBe(
      DEPLOYMENT_NAME_MESSAGE,
    );
  });

  it('accepts the sample form values', () => {
    expect(formErrors(validForm)).toEqual([]);
  });
});

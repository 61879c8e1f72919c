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
  deploymentSpecSchema,
  fqdn,
  FQDN_MESSAGE,
  hostname,
  HOST_PORT_MESSAGE,
  HOSTNAME_MESSAGE,
} from '@open-amt-backstage/plugin-open-amt-common';
import { describeSpecIssues, SPEC_FIELD_LABELS } from './actions/specInput';

const template = parse(
  readFileSync(
    resolve(__dirname, '../../../templates/open-amt-production/template.yaml'),
    'utf8',
  ),
);
const page = (title: string) =>
  template.spec.parameters.find((p: any) => p.title === title);
const deploymentPage = page('Deployment');

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

describe('host names: the form and the spec agree, in sentences', () => {
  const fields: [string, any, { safeParse: typeof fqdn.safeParse }, string][] =
    [
      ['MPS FQDN', deploymentPage.properties.fqdn, fqdn, FQDN_MESSAGE],
      [
        'Server host name',
        page('Database').properties.database.properties.host,
        hostname,
        HOSTNAME_MESSAGE,
      ],
      [
        'Public host name',
        page('API gateway').properties.gateway.properties.publicHost,
        fqdn,
        FQDN_MESSAGE,
      ],
    ];
  const samples = [
    'mps.example.com',
    'MPS.Example.com',
    'db',
    '10.0.4.20',
    'a-b.c-d.example',
    `${'a'.repeat(63)}.example.com`,
    `${'a'.repeat(64)}.example.com`,
    `${'a.'.repeat(126)}a`,
    `${'a.'.repeat(127)}a`,
    'https://mps.example.com',
    'mps.example.com:4433',
    'mps.example.com/',
    'mps_1.example.com',
    '-mps.example.com',
    'mps-.example.com',
    'mps..example.com',
    'mps.example.com.',
    'mps example.com',
    '',
  ];

  it.each(fields)(
    '%s: the same rule as the spec, the same sentence',
    (label, field, spec, message) => {
      expect(field.title).toBe(label);
      expect(field.errorMessage).toBe(message);
      const check = validator.ajv.compile(field);
      for (const value of samples) {
        const accepted = check(value);
        expect([value, accepted]).toEqual([
          value,
          spec.safeParse(value).success,
        ]);
        const messages = accepted ? [] : check.errors?.map(e => e.message);
        expect(messages).toEqual(accepted ? [] : [message]);
      }
    },
  );

  it("shows the MPS FQDN's error by its label, in a sentence and not a regex", () => {
    expect(
      formErrors({ ...validForm, fqdn: 'https://mps.example.com' }),
    ).toEqual([`'MPS FQDN' ${FQDN_MESSAGE}`]);
  });

  it('gives the spec’s host errors as sentences, never the pattern', () => {
    const base = {
      name: 'factory-east',
      owner: 'group:default/guests',
      target: 'eks',
      database: {
        provider: 'amazon-rds-postgresql',
        host: 'db.abc.eu-west-1.rds.amazonaws.com',
        caCertSecret: 'rds-ca-bundle',
      },
      secrets: { provider: 'vault', address: 'https://vault.example.com:8200' },
      gateway: { provider: 'kong', publicHost: 'oamt.example.com' },
    };
    const messages = (value: any) => {
      const parsed = deploymentSpecSchema.safeParse(value);
      return parsed.success ? [] : parsed.error.issues.map(i => i.message);
    };
    expect(messages({ ...base, fqdn: 'mps.example.com' })).toEqual([]);
    expect(messages({ ...base, fqdn: 'https://mps.example.com' })).toEqual([
      FQDN_MESSAGE,
    ]);
    expect(
      messages({
        ...base,
        fqdn: 'mps.example.com',
        database: { ...base.database, host: 'db_1' },
      }),
    ).toEqual([HOSTNAME_MESSAGE]);
    expect(
      messages({
        ...base,
        fqdn: 'mps.example.com',
        monitoring: { ciraEndpoint: 'mps.example.com' },
      }),
    ).toEqual([HOST_PORT_MESSAGE]);
    for (const message of [FQDN_MESSAGE, HOSTNAME_MESSAGE, HOST_PORT_MESSAGE])
      expect(message).not.toMatch(/[\^$\\{}]|\[a-z/i);
  });

  it('gives the CIRA endpoint the spec’s sentence in the form', () => {
    const field = deploymentPage.properties.monitoring.properties.ciraEndpoint;
    expect(field.errorMessage).toBe(HOST_PORT_MESSAGE);
  });
});

describe('the task names a bad field by the form’s label', () => {
  /** The titles of the template's fields by spec path, provider- and choice-specific ones included. */
  function titles(
    properties: any,
    prefix = '',
    out: Record<string, string> = {},
  ) {
    for (const [key, field] of Object.entries<any>(properties ?? {})) {
      const path = prefix ? `${prefix}.${key}` : key;
      if (field.title) out[path] = field.title.replace(/ \(optional\)$/, '');
      titles(field.properties, path, out);
      for (const dependency of Object.values<any>(field.dependencies ?? {}))
        for (const branch of dependency.oneOf ?? [])
          titles(branch.properties, path, out);
    }
    return out;
  }
  const formTitles = Object.assign(
    {},
    ...template.spec.parameters.map((p: any) => titles(p.properties)),
  );

  it('uses the template’s titles', () => {
    for (const [path, label] of Object.entries(SPEC_FIELD_LABELS))
      expect([path, formTitles[path]]).toEqual([path, label]);
  });

  it('says "<label> (spec.<path>) <sentence>", each sentence once', () => {
    expect(
      describeSpecIssues([
        { path: 'spec.fqdn', message: FQDN_MESSAGE },
        { path: 'spec.fqdn', message: FQDN_MESSAGE },
        { path: 'spec.secrets.address', message: 'must be a URL' },
      ]),
    ).toBe(
      `MPS FQDN (spec.fqdn) ${FQDN_MESSAGE}; spec.secrets.address: must be a URL`,
    );
  });
});

import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'First step of a template: fail before anything is provisioned unless every action the later steps call is installed',
    example: yaml.stringify({
      steps: [
        {
          id: 'preflight',
          action: 'open-amt:preflight',
          name: 'Check the actions this template calls are installed',
          input: {
            actions: [
              'open-amt:deployment:render',
              'open-amt:secrets:provision',
              "${{ 'open-amt:database:init' if parameters.initDatabase }}",
              '${{ parameters.publishTarget }}',
              'catalog:register',
            ],
          },
        },
      ],
    }),
  },
];

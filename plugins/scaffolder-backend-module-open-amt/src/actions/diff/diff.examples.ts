import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Changing a deployment: compare the form's spec with the one its System recorded, before any side effect",
    example: yaml.stringify({
      steps: [
        {
          id: 'diff',
          action: 'open-amt:deployment:diff',
          name: "Compare with the deployment's recorded spec",
          if: '${{ parameters.changeOf }}',
          input: {
            changeOf: '${{ parameters.changeOf }}',
            spec: '${{ steps.render.output.spec }}',
          },
        },
      ],
    }),
  },
];

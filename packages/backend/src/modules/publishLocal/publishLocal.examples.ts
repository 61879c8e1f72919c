import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Publish the rendered deployment to the demo portal's deployments folder",
    example: yaml.stringify({
      steps: [
        {
          id: 'publish',
          action: 'open-amt:publish:local',
          input: { name: '${{ parameters.name }}' },
        },
      ],
    }),
  },
];

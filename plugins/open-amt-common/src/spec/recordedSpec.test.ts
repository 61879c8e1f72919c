import { OPEN_AMT_ANNOTATIONS } from '../annotations';
import { recordedSpecOf, RecordedSpecError } from './recordedSpec';

const entity = (value?: string) => {
  const annotations: Record<string, string> = {};
  if (value !== undefined)
    annotations[OPEN_AMT_ANNOTATIONS.deploymentSpec] = value;
  return { metadata: { name: 'prod-a', annotations } };
};

describe('recordedSpecOf', () => {
  it('reads the JSON object the render recorded', () => {
    expect(recordedSpecOf(entity('{"name":"prod-a"}'))).toEqual({
      name: 'prod-a',
    });
  });

  it.each([
    [undefined, /prod-a has no open-amt.io\/deployment-spec annotation/],
    [
      '{not json',
      /prod-a's open-amt.io\/deployment-spec annotation is not JSON/,
    ],
    ['["a"]', /is not a JSON object/],
    ['null', /is not a JSON object/],
  ])('refuses %p naming the annotation', (value, message) => {
    expect(() => recordedSpecOf(entity(value))).toThrow(RecordedSpecError);
    expect(() => recordedSpecOf(entity(value))).toThrow(message);
  });
});

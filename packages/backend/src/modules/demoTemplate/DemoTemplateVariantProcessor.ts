import type { Entity } from '@backstage/catalog-model';
import type {
  CatalogProcessor,
  LocationSpec,
} from '@backstage/plugin-catalog-node';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { applyTemplateOverlay, TemplateOverlay } from './templateVariant';

/**
 * Turns the template adopters register into the demo portal's variant as the catalog reads it: the Template
 * entity read from `template` (a file location) gets `overlay` applied. Every other entity passes unchanged.
 */
export class DemoTemplateVariantProcessor implements CatalogProcessor {
  constructor(
    private readonly options: { template: string; overlay: string },
  ) {}

  getProcessorName(): string {
    return 'DemoTemplateVariantProcessor';
  }

  async preProcessEntity(
    entity: Entity,
    location: LocationSpec,
  ): Promise<Entity> {
    if (
      entity.kind !== 'Template' ||
      location.type !== 'file' ||
      path.resolve(location.target) !== this.options.template
    )
      return entity;
    // Read on every pass, so an edited overlay shows on the catalog's next refresh.
    const overlay = parse(
      await fs.readFile(this.options.overlay, 'utf8'),
    ) as TemplateOverlay;
    return applyTemplateOverlay(entity, overlay);
  }
}

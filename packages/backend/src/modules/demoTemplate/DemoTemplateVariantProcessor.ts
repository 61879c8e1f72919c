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
 * Turns the templates adopters register into the demo portal's variants as the catalog reads them: a Template
 * entity read from a variant's `template` (a file location) gets that variant's `overlay` applied. Every other
 * entity passes unchanged.
 */
export class DemoTemplateVariantProcessor implements CatalogProcessor {
  constructor(
    private readonly variants: ReadonlyArray<{
      template: string;
      overlay: string;
    }>,
  ) {}

  getProcessorName(): string {
    return 'DemoTemplateVariantProcessor';
  }

  async preProcessEntity(
    entity: Entity,
    location: LocationSpec,
  ): Promise<Entity> {
    if (entity.kind !== 'Template' || location.type !== 'file') return entity;
    const variant = this.variants.find(
      v => v.template === path.resolve(location.target),
    );
    if (!variant) return entity;
    // Read on every pass, so an edited overlay shows on the catalog's next refresh.
    const overlay = parse(
      await fs.readFile(variant.overlay, 'utf8'),
    ) as TemplateOverlay;
    return applyTemplateOverlay(entity, overlay);
  }
}

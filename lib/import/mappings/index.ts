// The default codebook mappings shipped with the dashboard (see README.md in this folder for the variable names).
import cmds2017 from './cmds-2017.json';
import cmds2018 from './cmds-2018.json';
import { mappingSchema, type ImportMapping } from '../mapping';

export const DEFAULT_MAPPING_NAMES = ['cmds-2017', 'cmds-2018'] as const;
export type DefaultMappingName = (typeof DEFAULT_MAPPING_NAMES)[number];

export const DEFAULT_MAPPINGS: Record<DefaultMappingName, ImportMapping> = {
  'cmds-2017': mappingSchema.parse(cmds2017),
  'cmds-2018': mappingSchema.parse(cmds2018),
};

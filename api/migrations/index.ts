// Every migration, oldest first. Listed by hand so that they load the same under tsx and from dist/.
import { InitialSchema1763800000000 } from './1763800000000-initial-schema.js';

export const migrations = [InitialSchema1763800000000];

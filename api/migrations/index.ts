// Every migration, oldest first. Listed by hand so that they load the same under tsx and from dist/.
import { InitialSchema1763800000000 } from './1763800000000-initial-schema.js';
import { AgentLink1764000000000 } from './1764000000000-agent-link.js';

export const migrations = [InitialSchema1763800000000, AgentLink1764000000000];

import { runService } from '@campus/platform';
import { startCoworking } from './app';
import { loadCoworkingConfig } from './config';

runService('coworking', () => startCoworking(loadCoworkingConfig()));

import 'reflect-metadata';
import { runMain } from '@district/kit';
import { startPeople } from './app';
import { peopleConfigFromEnv } from './config';

/** Entry point of one school's people instance. */
runMain('people', () => startPeople(peopleConfigFromEnv()));

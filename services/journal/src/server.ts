import 'reflect-metadata';
import { runMain } from '@district/kit';
import { startJournal } from './app';
import { journalConfigFromEnv } from './config';

/** Entry point of one school's journal instance. */
runMain('journal', () => startJournal(journalConfigFromEnv()));

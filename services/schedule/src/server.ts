import 'reflect-metadata';
import { runMain } from '@district/kit';
import { startSchedule } from './app';
import { scheduleConfigFromEnv } from './config';

/** Entry point of one school's schedule instance (async, so a bad configuration is reported, not thrown). */
runMain('schedule', async () => startSchedule(scheduleConfigFromEnv()));

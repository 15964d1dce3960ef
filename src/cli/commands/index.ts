import type { Command } from 'commander';
import type { Cli } from '../main.ts';
import { registerInit } from './init.ts';
import { registerImport } from './import.ts';
import { registerCadence } from './cadence.ts';
import { registerEnroll } from './enroll.ts';
import { registerToday } from './today.ts';
import { registerTouch } from './touch.ts';
import { registerShow } from './show.ts';
import { registerStats } from './stats.ts';
import { registerExport } from './export.ts';
import { registerDemo } from './demo.ts';
import { registerSchedule } from './schedule.ts';
import { registerSettings } from './settings.ts';
import { registerNurture } from './nurture.ts';
import { registerDb } from './db.ts';
import { registerServe } from './serve.ts';
import { registerMail } from './mail.ts';

export function registerCommands(program: Command, cli: Cli): void {
  registerInit(program, cli);
  registerImport(program, cli);
  registerCadence(program, cli);
  registerEnroll(program, cli);
  registerToday(program, cli);
  registerTouch(program, cli);
  registerShow(program, cli);
  registerStats(program, cli);
  registerExport(program, cli);
  registerSchedule(program, cli);
  registerSettings(program, cli);
  registerNurture(program, cli);
  registerDemo(program, cli);
  registerDb(program, cli);
  registerServe(program, cli);
  registerMail(program, cli);
}

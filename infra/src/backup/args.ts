/** Plain argv parsing for the backup and restore CLIs: the kit's, which the journal's archive CLI uses too. */
export { checkSchoolCode, errorMessage, parseFlags, stringFlag, UsageError, type FlagSpec } from '@district/kit';

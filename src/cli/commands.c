/* commands.c: the table of every probity command, in the order `probity --help`
 * lists them. Each command lives in its own cmd_*.c file. */
#include "cli/cli.h"

extern const struct cli_command cmd_init, cmd_serve, cmd_demo, cmd_backup, cmd_version;
extern const struct cli_command cmd_org_list, cmd_org_show, cmd_org_add, cmd_org_rename,
	cmd_org_split, cmd_org_merge;
extern const struct cli_command cmd_user_add, cmd_user_list, cmd_user_disable, cmd_user_enable,
	cmd_user_passwd, cmd_user_role, cmd_user_email;
extern const struct cli_command cmd_keys_custodians, cmd_keys_status, cmd_keys_recover;
extern const struct cli_command cmd_audit_verify;
extern const struct cli_command cmd_purge;
extern const struct cli_command cmd_export_case, cmd_verify_bundle;
extern const struct cli_command cmd_remind;
extern const struct cli_command cmd_framework_list, cmd_framework_show, cmd_framework_import,
	cmd_framework_export, cmd_framework_diff;
extern const struct cli_command cmd_import_registrations;
extern const struct cli_command cmd_import_culture;
extern const struct cli_command cmd_monitor_rebuild, cmd_monitor_check;
extern const struct cli_command cmd_report_annual;
extern const struct cli_command cmd_migrate;

const struct cli_command *const cli_commands[] = {
	&cmd_init,
	&cmd_serve,
	&cmd_demo,
	&cmd_org_list,
	&cmd_org_show,
	&cmd_org_add,
	&cmd_org_rename,
	&cmd_org_split,
	&cmd_org_merge,
	&cmd_user_add,
	&cmd_user_list,
	&cmd_user_disable,
	&cmd_user_enable,
	&cmd_user_passwd,
	&cmd_user_role,
	&cmd_user_email,
	&cmd_keys_custodians,
	&cmd_keys_status,
	&cmd_keys_recover,
	&cmd_audit_verify,
	&cmd_purge,
	&cmd_export_case,
	&cmd_verify_bundle,
	&cmd_remind,
	&cmd_framework_list,
	&cmd_framework_show,
	&cmd_framework_import,
	&cmd_framework_export,
	&cmd_framework_diff,
	&cmd_import_registrations,
	&cmd_import_culture,
	&cmd_monitor_rebuild,
	&cmd_monitor_check,
	&cmd_report_annual,
	&cmd_backup,
	&cmd_migrate,
	&cmd_version,
	NULL,
};

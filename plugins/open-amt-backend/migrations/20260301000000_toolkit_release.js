/*
 * The toolkit release each deployment's System is annotated with (open-amt.io/toolkit-release, null when absent),
 * so fleet pages filter and count deployments behind the newest release without reading the catalog.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('open_amt_deployments', table => {
    table.string('toolkit_release', 64).nullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('open_amt_deployments', table => {
    table.dropColumn('toolkit_release');
  });
};

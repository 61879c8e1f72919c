/*
 * Notices already sent (a certificate's 7-day warning, a device drop), one row per deployment and notice key, so that
 * replicas, or a sweep racing a refresh, send each once: the one whose insert lands sends it. Rows go with their
 * deployment and after a long time (the retention job).
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('open_amt_notices', table => {
    table.comment('Notifications claimed once per deployment and key');
    table.string('entity_ref', 255).notNullable();
    table.string('notice_key', 1024).notNullable();
    table.bigInteger('sent_at').notNullable();
    table.primary(['entity_ref', 'notice_key']);
    table.index(['sent_at'], 'open_amt_notices_sent_at_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('open_amt_notices');
};

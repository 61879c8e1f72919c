/*
 * Health engine store: latest state per deployment and component, the state-change log, and
 * downsampled history buckets. Times are epoch milliseconds (bigint) so SQLite and PostgreSQL
 * compare and sort them the same way.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('open_amt_deployments', table => {
    table.comment(
      'One row per deployment System in the catalog, with its latest derived status',
    );
    table.increments('id');
    table.string('entity_ref', 255).notNullable().unique();
    table.string('namespace', 255).notNullable();
    table.string('name', 255).notNullable();
    table.string('title', 255).nullable();
    table.string('owner', 255).nullable();
    table.string('target', 64).nullable();
    table.string('database_provider', 64).nullable();
    table.string('secrets_provider', 64).nullable();
    table.string('gateway_provider', 64).nullable();
    table.boolean('simulated').notNullable().defaultTo(false);
    table.string('status', 16).notNullable().defaultTo('unknown');
    table.bigInteger('checked_at').nullable();
    table.integer('count_healthy').notNullable().defaultTo(0);
    table.integer('count_degraded').notNullable().defaultTo(0);
    table.integer('count_down').notNullable().defaultTo(0);
    table.integer('count_unknown').notNullable().defaultTo(0);
    table.index(['status'], 'open_amt_deployments_status_idx');
    table.index(['owner'], 'open_amt_deployments_owner_idx');
    table.index(['name'], 'open_amt_deployments_name_idx');
  });

  await knex.schema.createTable('open_amt_component_state', table => {
    table.comment('Latest probe result per component of a deployment');
    table
      .integer('deployment_id')
      .notNullable()
      .references('id')
      .inTable('open_amt_deployments')
      .onDelete('CASCADE');
    table.string('component', 16).notNullable();
    table.string('provider', 64).notNullable();
    table.string('support_level', 16).notNullable();
    table.string('status', 16).notNullable();
    table.integer('latency_ms').nullable();
    table.bigInteger('checked_at').notNullable();
    table.bigInteger('since').notNullable();
    table.text('message').notNullable();
    table.text('details').nullable();
    table.primary(['deployment_id', 'component']);
  });

  await knex.schema.createTable('open_amt_transitions', table => {
    table.comment(
      'State-change log: one row per component (or deployment) status change',
    );
    table.bigIncrements('id');
    table
      .integer('deployment_id')
      .notNullable()
      .references('id')
      .inTable('open_amt_deployments')
      .onDelete('CASCADE');
    table.string('component', 16).notNullable();
    table.string('from_status', 16).nullable();
    table.string('to_status', 16).notNullable();
    table.bigInteger('at').notNullable();
    table.text('message').notNullable();
    table.index(
      ['deployment_id', 'at'],
      'open_amt_transitions_deployment_at_idx',
    );
    table.index(['at'], 'open_amt_transitions_at_idx');
  });

  await knex.schema.createTable('open_amt_history', table => {
    table.comment(
      'Downsampled history: one row per deployment and time bucket; data holds every component (samples, up count, latency sketch) in a compact text encoding',
    );
    table
      .integer('deployment_id')
      .notNullable()
      .references('id')
      .inTable('open_amt_deployments')
      .onDelete('CASCADE');
    table.bigInteger('bucket_start').notNullable();
    table.text('data').notNullable();
    table.primary(['deployment_id', 'bucket_start']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('open_amt_history');
  await knex.schema.dropTable('open_amt_transitions');
  await knex.schema.dropTable('open_amt_component_state');
  await knex.schema.dropTable('open_amt_deployments');
};

-- Accounts and retention: one takeover action per submission and action (so asking again, or
-- two admins at once, never actions a post twice), and the table the maintenance jobs'
-- own db-scheduler instance (the retention purge) runs from.

CREATE TABLE takeover_actions (
  submission_id BIGINT      NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
  action        VARCHAR(64) NOT NULL,
  decision_id   BIGINT      NOT NULL REFERENCES decisions (id) ON DELETE CASCADE,
  created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (submission_id, action)
);

-- The purge skips content under an open appeal; without this it would scan every appeal.
CREATE INDEX appeals_by_submission ON appeals (submission_id, status);

CREATE TABLE maintenance_scheduled_tasks (
  task_name            VARCHAR(100) NOT NULL,
  task_instance        VARCHAR(100) NOT NULL,
  task_data            BINARY LARGE OBJECT,
  execution_time       TIMESTAMP WITH TIME ZONE,
  picked               BOOLEAN NOT NULL,
  picked_by            VARCHAR(50),
  last_success         TIMESTAMP WITH TIME ZONE,
  last_failure         TIMESTAMP WITH TIME ZONE,
  consecutive_failures INT,
  last_heartbeat       TIMESTAMP WITH TIME ZONE,
  version              BIGINT NOT NULL,
  priority             SMALLINT,
  state                VARCHAR(100),
  PRIMARY KEY (task_name, task_instance)
);

CREATE INDEX maintenance_scheduled_tasks_execution_time ON maintenance_scheduled_tasks (execution_time);
CREATE INDEX maintenance_scheduled_tasks_last_heartbeat ON maintenance_scheduled_tasks (last_heartbeat);

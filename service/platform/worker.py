"""The RQ worker of ``flask worker``: the scoring, the reports' costly parts and whatever job
comes next, one at a time, in this process (no fork per job: the models stay loaded).

Every job runs in the command's one app context, and so on one database session; a job that
failed with its transaction broken (a connection the server cut, PostgreSQL restarted) would
leave every later job ``PendingRollbackError`` while the process stays alive. So, after every
job, however it ended, the session is removed here, the one place that knows how a job leaves
it: the next job starts a new one and checks a connection out of the pool afresh.

``rq worker -w service.platform.worker.Worker`` runs the same class without the app (each job then
pushes the app's context of its own, whose teardown removes its session).
"""

from __future__ import annotations

from rq import SimpleWorker

from service import store
from service.platform.logs import job_context


class Worker(SimpleWorker):
    def execute_job(self, job, queue):
        """Run the job as RQ does (a failure is recorded in the failed-job registry, not
        raised), its lines carrying the job and the request that queued it, then leave the
        next one a clean session."""
        try:
            with job_context(job.func_name, job.id, job.meta):
                return super().execute_job(job, queue)
        finally:
            store.end_job()

namespace Spooled.LoadGen;

/// <summary>The <c>--help</c> text, kept apart from the parser so the two read independently.</summary>
internal static class HelpText
{
    public const string Text = """
        Spooled.LoadGen: drives a running Spooled server over HTTP and reports throughput, errors and latency.

        Usage:
          dotnet run -c Release --project bench/Spooled.LoadGen -- --url http://127.0.0.1:8080 --api-key sk_... [options]

        Workloads (--workload, default pipeline):
          enqueue   producers only: --jobs jobs from --producers concurrent producers, one per request
                    (--batch 1) or --batch jobs per POST /jobs/bulk. Jobs stay in the queue.
          drain     fills the queue with --jobs jobs (bulk, 100 per request; reported as phase "fill"),
                    then --workers workers claim up to --claim-limit jobs per request and complete them
                    one request per job (--ack single) or one batch request per claim (--ack batch).
          pipeline  enqueue and drain at once until all --jobs jobs are completed; reports enqueue jobs/s,
                    drain jobs/s and end-to-end jobs/s.
          steady    open loop: --rate jobs/s for --duration seconds, one POST /jobs per job, whatever the
                    server's answer time, with long-polling workers. Latency is measured from each job's
                    intended send time, so a stalled server shows up as latency instead of a lower rate
                    (no coordinated omission). Reports p50/p99/p99.9/max of enqueue latency and of
                    enqueue-to-claim latency (the intended send time travels in the payload).

        Connection:
          --url URL             server base URL (default http://127.0.0.1:8080)
          --api-key KEY         API key of the organization (default: $SPOOLED_KEY)
          --queue NAME          queue to use (default: a fresh loadgen-xxxxxxxx per run)

        Load:
          --jobs N              jobs to enqueue (1..10000000, default 100000; not for steady)
          --payload-bytes N     exact size of each job's JSON payload (34..1000000, default 200)
          --producers N         concurrent producers (1..1024, default 4)
          --batch N             jobs per enqueue request, 1 = POST /jobs, 2..100 = POST /jobs/bulk (default 1)
          --workers N           concurrent workers (1..1024, default 4)
          --claim-limit N       jobs per claim request (1..100, default 10)
          --wait-secs N         claim long-poll wait when the queue is empty (0..30, default 2)
          --lease-secs N        lease asked for on claim (5..3600, default 30)
          --ack single|batch    how workers complete jobs (default single)
          --rate N              steady: arrivals per second (1..1000000, default 1000)
          --duration N          steady: seconds of arrivals (1..3600, default 10)
          --max-in-flight N     steady: most enqueue requests outstanding at once (1..100000, default 10000)
          --stall-secs N        give up when no job is completed for N seconds while draining (default 30)

        Live events (fan-out):
          --sse-subscribers N   open N Server-Sent Events streams on GET /api/v1/events/queues/{queue} with the
                                same key before the workload starts (0..10000, default 0), read them during the
                                run and for up to 2 s after it (until each has every JobCreated event), then close
                                them. Reports subscribers connected, JobCreated events received (total, min/max
                                per subscriber), subscribers cut off by the server (Error event) or disconnected
                                early, and event latency (server event timestamp to receipt) p50/p99/p99.9/max
                                with the share delivered within 50 ms. Compare jobs/s with --sse-subscribers 0.
                                The server allows 100 streams per key and 1000 per organization by default:
                                raise Realtime:MaxStreamsPerKey and Realtime:MaxStreamsPerOrganization (e.g.
                                SPOOLED_Realtime__MaxStreamsPerKey=2000) or the extra streams fail with 429.
          --sse-events LIST     the streams' events filter, comma-separated (default job.created); latency is
                                measured on JobCreated events only

        Output:
          --pid PID             sample the server's VmRSS/VmHWM from /proc/PID/status and report the peak
          --progress            progress line on stderr every second (default: only when stderr is a terminal)
          --json                print one JSON object on stdout instead of the table
          -h, --help            this text

        Exit codes: 0 the run finished without errors; 1 the server was unreachable, refused the API key,
        stalled, or answered any request with an error (the counts are in the report); 2 bad arguments.
        """;
}

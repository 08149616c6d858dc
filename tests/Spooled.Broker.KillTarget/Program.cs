using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Spooled.Broker;

// The child process of Spooled.Broker.Tests' BrokerKillTests (a real SIGKILL, not a simulated crash).
//
// Usage: Spooled.Broker.KillTarget <broker-directory>
//
// Opens (recovering) the broker with the default Fsync policy, makes sure organization "kill-org"
// and its queues "bulk" and "single" exist (1 s retry backoff, so failed jobs come back while the
// test runs), prints "R <records-replayed> <jobs>", then runs a load until the process is killed:
// bulk and single enqueuers, workers that claim under 5 s leases and then complete (one by one or
// in batches), fail, or abandon what they claimed, and a task that asks for snapshots. After each
// acknowledgement it prints one line:
//
//   E <job-id> <token>   enqueue acknowledged; the payload is {"token":"<token>"}
//   L <job-id>           claim acknowledged
//   C <job-id>           completion acknowledged; the result is {"job":"<job-id>"}
//   F <job-id>           failure acknowledged
//   S <position>         snapshot durable
//
// An acknowledgement refused for an expired lease (possible only after a stall longer than the
// lease) is not reported; any other refusal or error stops the run with exit code 70.
//
// One printer thread owns stdout, so lines never interleave; a kill can leave only the last line
// unterminated, and the reader ignores a line without its '\n'. A line is queued for printing only
// after the broker answered, so every line the parent reads names something durable; what was
// acknowledged but still queued when the kill came is simply unknown to the parent.
if (args.Length != 1)
{
    await Console.Error.WriteLineAsync("usage: Spooled.Broker.KillTarget <broker-directory>");
    return 64;
}

const string OrgId = "kill-org";
const int BulkEnqueuers = 2;
const int SingleEnqueuers = 2;
const int Workers = 4;

await using var broker = JobBroker.Open(BrokerOptions.ForDirectory(args[0]));
try
{
    await broker.CreateOrganizationAsync("Kill Test", OrgId, id: OrgId);
}
catch (BrokerException error) when (error.Code == BrokerErrorCode.Conflict)
{
    // An earlier run created it.
}

string[] queues = ["bulk", "single"];
foreach (var queue in queues)
{
    await broker.ConfigureQueueAsync(OrgId, queue, new QueueConfigUpdate { BackoffBaseSeconds = 1, BackoffMaxSeconds = 1 });
}

// Tokens carry a per-run prefix: the parent keeps tokens across runs and needs them unique.
var run = Guid.NewGuid().ToString("N")[..12];
using var lines = new BlockingCollection<string>();

// Its own thread: on the thread pool the printer queues behind the load, and what it has not
// printed when the kill comes is lost to the parent.
var printer = new Thread(() => Print(lines)) { IsBackground = true, Name = "printer" };
printer.Start();
lines.Add(string.Create(CultureInfo.InvariantCulture, $"R {broker.Startup.RecordsReplayed} {broker.Startup.Jobs}"));

var load = new List<Task>();
for (var i = 0; i < BulkEnqueuers; i++)
{
    var prefix = string.Create(CultureInfo.InvariantCulture, $"{run}-b{i}");
    load.Add(Task.Run(() => EnqueueBulkForeverAsync(broker, prefix, lines)));
}

for (var i = 0; i < SingleEnqueuers; i++)
{
    var prefix = string.Create(CultureInfo.InvariantCulture, $"{run}-s{i}");
    load.Add(Task.Run(() => EnqueueForeverAsync(broker, prefix, lines)));
}

for (var i = 0; i < Workers; i++)
{
    var worker = string.Create(CultureInfo.InvariantCulture, $"worker-{i}");
    var queue = queues[i % queues.Length];
    load.Add(Task.Run(() => WorkForeverAsync(broker, worker, queue, lines)));
}

load.Add(Task.Run(() => SnapshotForeverAsync(broker, lines)));

// The load ends only by failing; report the first failure and exit non-zero.
var ended = await Task.WhenAny(load);
lines.CompleteAdding();
printer.Join();
await Console.Error.WriteLineAsync($"a load task stopped: {ended.Exception?.GetBaseException()}");
return 70;

static byte[] Payload(string token) => Encoding.UTF8.GetBytes($"{{\"token\":\"{token}\"}}");

static byte[] Result(Guid jobId) => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{{\"job\":\"{jobId}\"}}"));

static async Task EnqueueBulkForeverAsync(JobBroker broker, string prefix, BlockingCollection<string> lines)
{
    var seq = 0L;
    while (true)
    {
        var tokens = new string[20];
        var jobs = new JobSpec[tokens.Length];
        for (var i = 0; i < tokens.Length; i++)
        {
            tokens[i] = string.Create(CultureInfo.InvariantCulture, $"{prefix}-{seq++}");
            jobs[i] = new JobSpec { Payload = Payload(tokens[i]), Priority = Random.Shared.Next(-2, 3) };
        }

        var result = await broker.EnqueueBulkAsync(OrgId, new BulkEnqueueRequest { QueueName = "bulk", Jobs = jobs });
        if (result.Failed.Count > 0)
        {
            throw new InvalidOperationException($"bulk item {result.Failed[0].Index} was refused: {result.Failed[0].Error}");
        }

        foreach (var item in result.Succeeded)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"E {item.JobId} {tokens[item.Index]}"));
        }

        // Bulk enqueues outpace the workers many times over; a pause keeps the backlog (and the
        // parent's verification) within bounds without idling the disk.
        await Task.Delay(Random.Shared.Next(1, 4));
    }
}

static async Task EnqueueForeverAsync(JobBroker broker, string prefix, BlockingCollection<string> lines)
{
    for (long seq = 0; ; seq++)
    {
        var token = string.Create(CultureInfo.InvariantCulture, $"{prefix}-{seq}");
        var result = await broker.EnqueueAsync(OrgId, new JobSpec { QueueName = "single", Payload = Payload(token), Priority = Random.Shared.Next(-2, 3) });
        lines.Add(string.Create(CultureInfo.InvariantCulture, $"E {result.Id} {token}"));
    }
}

static async Task WorkForeverAsync(JobBroker broker, string worker, string queue, BlockingCollection<string> lines)
{
    while (true)
    {
        // The shortest lease the broker grants: claims this run abandons, or that a kill cuts off,
        // come back within the test's lifetime.
        var claimed = await broker.ClaimAsync(OrgId, new ClaimRequest { QueueName = queue, WorkerId = worker, Limit = Random.Shared.Next(1, 11), LeaseSeconds = 5 });
        if (claimed.Count == 0)
        {
            await Task.Delay(2);
            continue;
        }

        var completions = new List<JobAck>();
        foreach (var job in claimed)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"L {job.Id}"));
            var roll = Random.Shared.Next(100);
            if (roll < 10)
            {
                continue; // Abandoned: only the lease's expiry releases it.
            }

            if (roll < 25)
            {
                try
                {
                    await broker.FailAsync(OrgId, job.Id, worker, job.LeaseId, "simulated failure");
                    lines.Add(string.Create(CultureInfo.InvariantCulture, $"F {job.Id}"));
                }
                catch (BrokerException error) when (error.Code == BrokerErrorCode.LeaseExpired)
                {
                    // Only after a stall longer than the lease; refused, so nothing to report.
                }

                continue;
            }

            completions.Add(new JobAck { JobId = job.Id, LeaseId = job.LeaseId, Result = Result(job.Id) });
        }

        if (completions.Count > 1 && Random.Shared.Next(2) == 0)
        {
            var results = await broker.CompleteManyAsync(OrgId, worker, completions);
            foreach (var result in results)
            {
                if (result.Error is { } error)
                {
                    if (error != BrokerErrorCode.LeaseExpired)
                    {
                        throw new InvalidOperationException($"completing {result.JobId} was refused: {error} {result.Message}");
                    }

                    continue;
                }

                lines.Add(string.Create(CultureInfo.InvariantCulture, $"C {result.JobId}"));
            }
        }
        else
        {
            foreach (var ack in completions)
            {
                try
                {
                    await broker.CompleteAsync(OrgId, ack.JobId, worker, ack.LeaseId, ack.Result);
                    lines.Add(string.Create(CultureInfo.InvariantCulture, $"C {ack.JobId}"));
                }
                catch (BrokerException error) when (error.Code == BrokerErrorCode.LeaseExpired)
                {
                    // Only after a stall longer than the lease; refused, so nothing to report.
                }
            }
        }
    }
}

static async Task SnapshotForeverAsync(JobBroker broker, BlockingCollection<string> lines)
{
    while (true)
    {
        // The broker's own triggers (256 MiB, 15 min) never fire in a run this short; asking often
        // lets kills land during snapshot writes and lets recoveries start from a snapshot.
        await Task.Delay(Random.Shared.Next(150, 500));
        var report = await broker.SnapshotAsync();
        lines.Add(string.Create(CultureInfo.InvariantCulture, $"S {report.Position}"));
    }
}

static void Print(BlockingCollection<string> lines)
{
    using var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 64 * 1024);
    foreach (var line in lines.GetConsumingEnumerable())
    {
        stdout.Write(line);
        stdout.Write('\n');
        if (lines.Count == 0)
        {
            stdout.Flush();
        }
    }
}

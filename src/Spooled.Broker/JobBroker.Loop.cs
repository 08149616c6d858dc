using System.Diagnostics;
using Spooled.Broker.Engine;
using Spooled.Broker.Snapshots;

namespace Spooled.Broker;

/// <content>
/// The engine thread. Each turn drains up to a turn's worth of requests and runs each (timers first,
/// at the request's time). Every few requests, and at the end of the turn, it appends what that
/// group wrote as one log append and hands the group's answers to a continuation that delivers them
/// when the append is durable. The thread never waits for the disk except to take a snapshot.
/// </content>
public sealed partial class JobBroker
{
    private void Run()
    {
        var group = new List<Command>();
        try
        {
            _engine.Tick();
            _engine.RunTimers();
            Flush(group);
            while (true)
            {
                if (!WaitForWork())
                {
                    break;
                }

                CollectEventsIfListened();
                _engine.Tick();
                _engine.RunTimers();
                var taken = 0;
                while (taken < MaxCommandsPerTurn && _inbox.TryDequeue(out var command))
                {
                    if (_failure is { } failure)
                    {
                        command.Fail(Unavailable(failure));
                        continue;
                    }

                    taken++;
                    _engine.Tick();
                    _engine.RunTimers();
                    var answerEarly = command is ClaimCommand && _engine.RecordCount == 0;
                    command.Execute(_engine);
                    if (command.Parked && _noWaiting)
                    {
                        ((ClaimCommand)command).Expire();
                        group.Add(command);
                    }
                    else if (command.Parked)
                    {
                        Park((ClaimCommand)command);
                    }
                    else if (answerEarly)
                    {
                        AnswerOnceEarlierWritesAreDurable(command);
                    }
                    else
                    {
                        group.Add(command);
                        if (group.Count >= FlushEveryCommands || _engine.GroupBytes >= MaxGroupBytes)
                        {
                            Flush(group);
                            group = [];
                        }
                    }
                }

                ServeWaiters(group);
                if ((_stopping && _inbox.IsEmpty) || _noWaiting)
                {
                    ReleaseWaiters(group);
                }

                Flush(group);
                group = [];
                MaybeSnapshot();
                ArmWakeTimer();
            }
        }
        catch (Exception error)
        {
            Stop(error, group);
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    /// <summary>Sleeps until a request arrives, a timer is due or the broker stops; false when stopping.</summary>
    private bool WaitForWork()
    {
        while (true)
        {
            if (_stopping && _inbox.IsEmpty && _waiting.Count == 0)
            {
                return false;
            }

            if (!_inbox.IsEmpty || !_snapshotRequests.IsEmpty || _stopping || NextDue <= _options.TimeProvider.GetUtcNow().UtcTicks || AnyWaiterCancelled() || (_noWaiting && _waiting.Count > 0))
            {
                return true;
            }

            if (Volatile.Read(ref _timerFired) == 1)
            {
                // The wake timer fired before anything was due (it counts whole milliseconds on
                // another clock): arm it again, or nothing wakes the engine when the time comes.
                ArmWakeTimer();
            }

            // A full fence, not a release store: the checks below must not be read before the flag is
            // visible, or a submitter can see us awake, skip the release, and we sleep on its request.
            Interlocked.Exchange(ref _sleeping, 1);
            if (!_inbox.IsEmpty || _stopping || !_snapshotRequests.IsEmpty || NextDue <= _options.TimeProvider.GetUtcNow().UtcTicks || AnyWaiterCancelled() || Volatile.Read(ref _timerFired) == 1 || (_noWaiting && _waiting.Count > 0))
            {
                if (Interlocked.Exchange(ref _sleeping, 0) == 0)
                {
                    _signal.Wait(); // A submitter saw us asleep and released: consume it.
                }

                continue;
            }

            // The wake timer (on the broker's TimeProvider) releases the signal when a timer is due.
            _signal.Wait(); // Whoever released it has already cleared _sleeping.
        }
    }

    /// <summary>The earliest time anything waits for: an engine timer or a parked claim's deadline.</summary>
    private long NextDue => Math.Min(_engine.NextDue, NextWaitDeadline);

    private bool AnyWaiterCancelled() => Volatile.Read(ref _waiterCancelled) == 1;

    private void ArmWakeTimer()
    {
        var due = NextDue;
        if (due == _wakeAt && Interlocked.Exchange(ref _timerFired, 0) == 0)
        {
            return;
        }

        _wakeAt = due;
        if (due == long.MaxValue)
        {
            _wakeTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }

        // Rounded up: the timer truncates to whole milliseconds, which would fire it early. At most a
        // day: timers refuse delays past about 49 days (a job scheduled months ahead), and an
        // early fire only re-arms.
        var ticks = Math.Clamp(due - _options.TimeProvider.GetUtcNow().UtcTicks, 0, TimeSpan.TicksPerDay);
        var delay = TimeSpan.FromTicks((ticks + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond * TimeSpan.TicksPerMillisecond);
        _wakeTimer.Change(delay, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Appends the group's records and arranges for its answers once they are durable.</summary>
    private void Flush(List<Command> group)
    {
        var events = TakeEvents();
        if (_engine.RecordCount == 0)
        {
            if (group.Count == 0 && events is null)
            {
                return;
            }

            // Reads (and changes no record stands for, such as a scheduled job coming due): answer
            // once everything written before them is durable (no dirty reads).
            var previous = _lastDurable;
            if (previous.IsCompletedSuccessfully)
            {
                CompleteAll(group);
                Durable(events, kept: true);
            }
            else
            {
                _lastDurable = AnswerAfter(previous, group, events);
            }

            return;
        }

        _slices.Clear();
        _engine.CollectGroup(_slices);
        foreach (var slice in _slices)
        {
            _bytesSinceSnapshot += slice.Length;
        }

        var append = _log.AppendAsync(_slices); // Copies the records; the buffer is free again after this call.
        _slices.Clear();
        _engine.ClearGroup();
        _lastDurable = AnswerWhenDurable(append, group, events);
    }

    private async Task AnswerWhenDurable(ValueTask<long> append, List<Command> group, PendingEvents? events)
    {
        try
        {
            await append.ConfigureAwait(false);
        }
        catch (Exception error)
        {
            // The state already holds changes the log did not keep: stop accepting requests. A
            // restart recovers the durable state.
            _failure ??= error;
            FailAll(group, Unavailable(error));
            Durable(events, kept: false);
            throw;
        }

        CompleteAll(group);
        Durable(events, kept: true);
    }

    private async Task AnswerAfter(Task previous, List<Command> group, PendingEvents? events)
    {
        try
        {
            await previous.ConfigureAwait(false);
        }
        catch (Exception error)
        {
            FailAll(group, Unavailable(error));
            Durable(events, kept: false);
            throw;
        }

        CompleteAll(group);
        Durable(events, kept: true);
    }

    /// <summary>
    /// Answers a claim once everything written before it is durable, without waiting for its own
    /// lease record, which goes out with the next append. The jobs it hands out are durable, so a
    /// worker never works on a job a crash could take back; only the lease can be lost, and a job
    /// whose lease was lost is pending again after the restart and is simply delivered again (at
    /// least once). The worker's acknowledgement then finds no such lease and is refused as expired;
    /// an acknowledgement that was answered is durable, and with it, in log order, the lease it
    /// ended. Only a claim that starts a group qualifies: one behind other writes of the same group
    /// could hand out a job whose enqueue is in that group and not yet durable.
    /// </summary>
    private void AnswerOnceEarlierWritesAreDurable(Command claim)
    {
        var previous = _lastDurable;
        if (previous.IsCompletedSuccessfully)
        {
            claim.Complete();
        }
        else
        {
            _ = AnswerAfter(previous, claim);
        }
    }

    private static async Task AnswerAfter(Task previous, Command command)
    {
        try
        {
            await previous.ConfigureAwait(false);
        }
        catch (Exception error)
        {
            command.Fail(Unavailable(error));
            return;
        }

        command.Complete();
    }

    private static void CompleteAll(List<Command> group)
    {
        foreach (var command in group)
        {
            command.Complete();
        }
    }

    private static void FailAll(List<Command> group, Exception error)
    {
        foreach (var command in group)
        {
            command.Fail(error);
        }
    }

    /// <summary>An unexpected engine failure: fail everything in flight and refuse what follows.</summary>
    private void Stop(Exception error, List<Command> group)
    {
        _failure ??= error;
        var unavailable = Unavailable(error);
        FailAll(group, unavailable);
        while (_inbox.TryDequeue(out var command))
        {
            command.Fail(unavailable);
        }

        while (_snapshotRequests.TryDequeue(out var request))
        {
            request.TrySetException(unavailable);
        }

        FailWaiters(unavailable);
    }

    private void MaybeSnapshot()
    {
        var requested = !_snapshotRequests.IsEmpty;
        // Never snapshot more than half as much as the log grows: a large state is snapshotted less often.
        var due = _bytesSinceSnapshot >= Math.Max(_options.SnapshotEveryBytes, 2 * Volatile.Read(ref _lastSnapshotBytes))
            || (_bytesSinceSnapshot > 0 && _options.TimeProvider.GetElapsedTime(_lastSnapshotAt) >= _options.SnapshotInterval);
        if (!requested && (!due || !_snapshotWrite.IsCompleted))
        {
            return;
        }

        // The snapshot must cover exactly the records before its position: wait until every record
        // written so far is durable, then take the log's end as the position.
        var paused = Stopwatch.GetTimestamp();
        _snapshotWrite.Wait();
        _lastDurable.Wait();
        var position = _log.EndPosition;
        var waiting = new List<TaskCompletionSource<SnapshotReport>>();
        while (_snapshotRequests.TryDequeue(out var request))
        {
            waiting.Add(request);
        }

        _bytesSinceSnapshot = 0;
        _lastSnapshotAt = _options.TimeProvider.GetTimestamp();
        var capture = StateSnapshot.Capture(_engine.State, _captureArrays);
        var pause = Stopwatch.GetElapsedTime(paused);

        var jobs = _engine.State.Jobs.Count;
        _snapshotWrite = Task.Run(() =>
        {
            try
            {
                var started = Stopwatch.GetTimestamp();

                long length;
                try
                {
                    length = _log.Snapshots.Write(position, sink => capture.SerializeTo(piece => sink.Write(piece)));
                }
                finally
                {
                    capture.Release();
                }

                _lastSnapshotBytes = length;
                var retained = _log.Snapshots.Positions();
                var deleted = _log.DeleteSegmentsBefore(retained[^1]);
                var report = new SnapshotReport(position, length, jobs, pause, Stopwatch.GetElapsedTime(started), deleted);
                LastSnapshot = report;
                foreach (var request in waiting)
                {
                    request.TrySetResult(report);
                }
            }
            catch (Exception error)
            {
                foreach (var request in waiting)
                {
                    request.TrySetException(error);
                }
            }
        });
    }
}

namespace SmmuActors.Model.Sim;

/// <summary>A component where spinning waiters park until their predicate holds.</summary>
public interface IWaitHolder
{
    /// <summary>Drops every wait <paramref name="waiter"/> parked here: its spin timed out (<see cref="ControlKind.Withdraw"/>).</summary>
    void Withdraw(byte waiter);

    /// <summary>The location (or register) <paramref name="waiter"/>'s wait is parked on here, or -1.</summary>
    int ParkedAt(byte waiter);
}

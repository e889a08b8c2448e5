using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using LoopBridge.Headless;

namespace LoopBridge.Samples.HeadlessDemo
{
    /// <summary>
    /// A UDP socket on loopback (127.0.0.1 only) whose receive thread submits every datagram to the loop, fed by a
    /// sender thread in the same process with bounded traffic ("pos ENTITY X Y"; one in 40 is malformed, so its
    /// handle faults on the main thread).
    /// </summary>
    public sealed class UdpProducer : IProducer
    {
        const int DatagramsPerSecond = 400;

        readonly HeadlessRunner runner;
        readonly World world;
        readonly int maxDatagrams;
        readonly HandleLedger ledger = new HandleLedger("udp");
        readonly Socket receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        readonly ManualResetEventSlim stop = new ManualResetEventSlim(false);
        readonly Thread receiveThread;
        readonly Thread sendThread;
        readonly int port;
        int sent;
        int received;

        /// <summary>Creates the socket pair, bounded to about <paramref name="seconds"/> of traffic.</summary>
        public UdpProducer(HeadlessRunner runner, World world, double seconds)
        {
            this.runner = runner;
            this.world = world;
            maxDatagrams = (int)Math.Ceiling(seconds * DatagramsPerSecond);
            receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)receiver.LocalEndPoint!).Port;

            // Wake up regularly to notice a stop: closing a socket under a blocked Receive is not portable.
            receiver.ReceiveTimeout = 100;
            receiveThread = new Thread(ReceiveLoop) { IsBackground = true, Name = "demo udp receive" };
            sendThread = new Thread(SendLoop) { IsBackground = true, Name = "demo udp send" };
        }

        /// <inheritdoc />
        public IReadOnlyList<HandleLedger> Ledgers => new[] { ledger };

        /// <inheritdoc />
        public void Start()
        {
            receiveThread.Start();
            sendThread.Start();
        }

        /// <inheritdoc />
        public bool StopAndJoin(TimeSpan timeout)
        {
            stop.Set();
            bool joined = sendThread.Join(timeout) && receiveThread.Join(timeout);
            receiver.Dispose();
            return joined;
        }

        /// <inheritdoc />
        public string? Describe() => $"udp: {Volatile.Read(ref sent)} datagrams sent to 127.0.0.1:{port}, {Volatile.Read(ref received)} received and submitted";

        void ReceiveLoop()
        {
            var buffer = new byte[256];
            var loop = runner.Loop;
            while (!stop.IsSet)
            {
                int length;
                try
                {
                    length = receiver.Receive(buffer);
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut || e.SocketErrorCode == SocketError.WouldBlock)
                {
                    continue;
                }

                Interlocked.Increment(ref received);
                string payload = Encoding.ASCII.GetString(buffer, 0, length);
                int id = ledger.Register();
                var handle = loop.Run((payload, Stamp.Now(runner)), world.ApplyDatagram);
                ledger.Track(id, handle);
            }
        }

        void SendLoop()
        {
            using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            var target = new IPEndPoint(IPAddress.Loopback, port);
            var random = new Random(7);
            for (int n = 0; n < maxDatagrams; n++)
            {
                string text = n % 40 == 39
                    ? "#garbled#"
                    : string.Format(CultureInfo.InvariantCulture, "pos {0} {1:F2} {2:F2}", random.Next(10_000), random.NextDouble() * 100, random.NextDouble() * 100);
                sender.SendTo(Encoding.ASCII.GetBytes(text), target);
                Interlocked.Increment(ref sent);

                // Bounded traffic: about DatagramsPerSecond, in small bursts (one per wait).
                if (n % 4 == 3 && stop.Wait(10))
                {
                    return;
                }
            }
        }
    }
}

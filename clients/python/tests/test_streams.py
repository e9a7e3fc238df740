"""Livestreams and negative banks through the client."""

from __future__ import annotations

import random
import unittest

from countersignal_client import Countersignal, CountersignalError

from . import support


class StreamTest(unittest.TestCase):
    """A stream's frames are matched as they arrive; each banked entry it shows alerts once."""

    cs: Countersignal

    @classmethod
    def setUpClass(cls) -> None:
        cls.cs = support.client()

    def test_a_frame_near_a_banked_hash_raises_one_alert(self) -> None:
        rng = random.Random(61)
        bank = self.cs.create_bank(support.unique("attack stills"))
        self.addCleanup(self.cs.delete_bank, bank["id"])
        banked = support.random_pdq(rng)
        entry = self.cs.add_entry(bank["id"], {"pdq": banked}, labels=["attacker_manifesto"])
        stream = self.cs.open_stream(external_id="live-1", account="acct-1", banks=[bank["id"]])
        self.assertEqual(stream["state"], "open")

        near = support.flip_bits(banked, 6, rng)
        frames = [{"pdq": support.random_pdq(rng), "quality": 90, "at_seconds": 0},
                  {"pdq": near, "quality": 90, "at_seconds": 1}]
        answer = self.cs.send_frames(stream["id"], frames)
        self.assertEqual(answer["accepted"], 2)
        [alert] = answer["alerts"]
        self.assertEqual(alert["entry_id"], entry["id"])
        self.assertEqual(alert["kind"], "image")
        self.assertEqual(alert["distance"], support.distance(near, banked))
        self.assertEqual(alert["at_seconds"], 1)
        self.assertEqual(alert["labels"], ["attacker_manifesto"])

        again = self.cs.send_frames(stream["id"], frames)
        self.assertEqual(again["repeated"], 2)
        self.assertEqual(again["alerts"], [])
        closed = self.cs.close_stream(stream["id"])
        self.assertEqual(closed["state"], "closed")
        self.assertEqual([a["entry_id"] for a in closed["alerts"]], [entry["id"]])
        self.assertIn(stream["id"], [s["id"] for s in self.cs.streams(state="closed")])
        with self.assertRaises(CountersignalError) as refused:
            self.cs.send_frames(stream["id"], frames)
        self.assertEqual(refused.exception.status, 409)

    def test_a_frame_sent_as_a_picture_is_hashed_and_matched(self) -> None:
        bank = self.cs.create_bank(support.unique("stills"))
        self.addCleanup(self.cs.delete_bank, bank["id"])
        image = support.png(support.picture(seed=4))
        entry = self.cs.upload_entry(bank["id"], image)
        stream = self.cs.open_stream(banks=[bank["id"]])
        answer = self.cs.send_frame_image(stream["id"], image, at_seconds=42.5, content_type="image/png")
        self.assertEqual([a["entry_id"] for a in answer["alerts"]], [entry["id"]])
        self.assertEqual(self.cs.stream(stream["id"])["frames"], 1)

    def test_a_bad_frame_is_a_problem_naming_it(self) -> None:
        stream = self.cs.open_stream()
        with self.assertRaises(CountersignalError) as refused:
            self.cs.send_frames(stream["id"], [{"pdq": "not a hash", "at_seconds": 0}])
        self.assertEqual(refused.exception.status, 422)
        self.assertEqual(refused.exception.field, "frames[0].pdq")


class NegativeBankTest(unittest.TestCase):
    """A negative bank's entry cancels other banks' hits of the signal near it."""

    cs: Countersignal

    @classmethod
    def setUpClass(cls) -> None:
        cls.cs = support.client()

    def test_hits_near_harmless_content_are_cancelled(self) -> None:
        rng = random.Random(62)
        banked = support.random_pdq(rng)
        bank = self.cs.create_bank(support.unique("stills"))
        self.addCleanup(self.cs.delete_bank, bank["id"])
        entry = self.cs.add_entry(bank["id"], {"pdq": banked})
        harmless = self.cs.create_bank(support.unique("news photos"), purpose="negative")
        self.addCleanup(self.cs.delete_bank, harmless["id"])
        benign = self.cs.add_entry(harmless["id"], {"pdq": support.flip_bits(banked, 3, rng)})

        answer = self.cs.match({"pdq": banked}, banks=[bank["id"]])
        self.assertEqual(answer["matches"], [])
        [cancelled] = answer["cancelled"]
        self.assertEqual(cancelled["entry_id"], entry["id"])
        self.assertEqual(cancelled["cancelled_by"]["entry_id"], benign["id"])
        self.assertEqual(cancelled["cancelled_by"]["distance"], 3)


if __name__ == "__main__":
    unittest.main()

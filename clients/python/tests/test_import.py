"""Bulk import through the client: thousands of entries in several all-or-nothing batches."""

from __future__ import annotations

import random
import unittest

from countersignal_client import BatchImportError, Countersignal

from . import support


class ImportTest(unittest.TestCase):
    cs: Countersignal
    rng: random.Random

    @classmethod
    def setUpClass(cls) -> None:
        cls.cs = support.client()
        cls.rng = random.Random(37)

    def new_bank(self) -> dict:
        bank = self.cs.create_bank(support.unique("import"))
        self.addCleanup(self.cs.delete_bank, bank["id"])
        return bank

    def rows(self, count: int, note: str = "row") -> list[dict]:
        return [{"signals": {"pdq": support.random_pdq(self.rng)}, "labels": ["attacker_manifesto"],
                 "note": f"{note} {i}"} for i in range(count)]

    def audit_end(self) -> int:
        """The id of the newest audit event, so a test reads only the events it caused."""
        after = 0
        while True:
            page = self.cs.request("GET", "/api/v1/audit", params={"after": after, "limit": 1000})
            if page["items"]:
                after = page["items"][-1]["id"]
            if page["next_after"] is None:
                return after

    def imports_of(self, bank_id: int, since: int) -> list[int]:
        """The entry counts of the server's one audit event per batch written into the bank."""
        counts, after = [], since
        while True:
            page = self.cs.request("GET", "/api/v1/audit", params={"after": after, "limit": 1000})
            counts += [event["after"]["count"] for event in page["items"]
                       if event["action"] == "entries.imported" and event["target_id"] == str(bank_id)]
            if page["next_after"] is None:
                return counts
            after = page["next_after"]

    def test_thousands_of_entries_in_several_batches(self) -> None:
        bank = self.new_bank()
        rows = self.rows(3_500)
        mark = self.audit_end()
        ids = self.cs.import_entries(bank["id"], iter(rows), batch_size=1_500)

        self.assertEqual(self.imports_of(bank["id"], mark), [1_500, 1_500, 500])
        self.assertEqual(len(ids), 3_500)
        self.assertEqual(ids, sorted(set(ids)), "new ids, in row order")
        listed = list(self.cs.iter_entries(bank["id"], page_size=1000))
        self.assertEqual([e["id"] for e in listed], ids)
        self.assertEqual([e["signals"]["pdq"] for e in listed], [r["signals"]["pdq"] for r in rows])
        self.assertEqual([e["note"] for e in listed], [r["note"] for r in rows])
        for position in (0, 1_499, 1_500, 3_499):
            [hit] = self.cs.match(rows[position]["signals"], banks=[bank["id"]])["matches"]
            self.assertEqual((hit["entry_id"], hit["distance"]), (ids[position], 0))

    def test_batches_stay_under_the_byte_budget(self) -> None:
        bank = self.new_bank()
        rows = self.rows(60, note="x" * 3_900)
        mark = self.audit_end()
        ids = self.cs.import_entries(bank["id"], rows, max_batch_bytes=64_000)
        counts = self.imports_of(bank["id"], mark)
        self.assertGreater(len(counts), 3, "about 4 KB a row cannot fit 60 rows in 64 KB batches")
        self.assertTrue(all(count <= 16 for count in counts), counts)
        self.assertEqual(sum(counts), 60)
        self.assertEqual([self.cs.entry(i)["note"] for i in (ids[0], ids[-1])], [rows[0]["note"], rows[-1]["note"]])

    def test_refused_batch_writes_nothing_and_says_what_was_written_before(self) -> None:
        bank = self.new_bank()
        rows = self.rows(2_500)
        rows[1_700]["signals"]["pdq"] = "not a hash"
        rows[1_800]["labels"] = ["no_such_label"]
        with self.assertRaises(BatchImportError) as refused:
            self.cs.import_entries(bank["id"], rows, batch_size=1_000)
        error = refused.exception
        self.assertEqual(error.status, 422)
        self.assertEqual(error.batch_start, 1_000)
        self.assertEqual([(e["index"], e["field"]) for e in error.errors],
                         [(700, "entries[700].signals.pdq"), (800, "entries[800].labels[0]")])
        self.assertEqual(len(error.imported_ids), 1_000)
        written = [e["id"] for e in self.cs.iter_entries(bank["id"])]
        self.assertEqual(written, error.imported_ids, "the first batch stays, the refused one wrote nothing")

    def test_dry_run_checks_every_batch_and_writes_nothing(self) -> None:
        bank = self.new_bank()
        rows = self.rows(1_200)
        self.assertEqual(self.cs.import_entries(bank["id"], rows, dry_run=True, batch_size=500), [])
        rows[1_100]["signals"] = {"md5": "abc"}
        with self.assertRaises(BatchImportError) as refused:
            self.cs.import_entries(bank["id"], rows, dry_run=True, batch_size=500)
        self.assertEqual((refused.exception.batch_start, refused.exception.errors[0]["index"]), (1_000, 100))
        self.assertEqual(refused.exception.imported_ids, [])
        self.assertEqual(self.cs.entries(bank["id"])["items"], [])

    def test_signal_already_in_the_bank_refuses_its_batch(self) -> None:
        bank = self.new_bank()
        rows = self.rows(30)
        self.cs.add_entry(bank["id"], rows[25]["signals"])
        with self.assertRaises(BatchImportError) as refused:
            self.cs.import_entries(bank["id"], rows, batch_size=20)
        self.assertEqual((refused.exception.batch_start, refused.exception.errors[0]["index"]), (20, 5))
        self.assertEqual(len(list(self.cs.iter_entries(bank["id"]))), 21)


if __name__ == "__main__":
    unittest.main()

"""How the demo's actors work together, by government level: the demo's Kim et al. (2017)
Table 2.

One place for what the demo records, per level and between levels: the usual degree of
convergence between close partners, the mechanisms (most common first), the facilitating
and hindering factors, notes a scorer would write (in Bahasa Indonesia, by mechanism and by
hindering factor), and each level's main role or action. The codes are those of the
vocabularies in ``assessments.models``; to show more of Kim's Table 2, add entries here.

``demo.scoring`` turns this profile into the values of each pair.
"""

from dataclasses import dataclass, field

from actors.models import GovernmentLevel
from assessments.models import FacilitatingFactor as F
from assessments.models import HinderingFactor as H
from assessments.models import Mechanism as M

P = GovernmentLevel.PROVINCE
D = GovernmentLevel.DISTRICT
S = GovernmentLevel.SUBDISTRICT
V = GovernmentLevel.VILLAGE


@dataclass(frozen=True)
class Ties:
    """How actors at one level, or at two levels, typically work together."""

    degree: int  # the usual level (0–4) between close partners; see demo.scoring
    mechanisms: tuple[str, ...]
    facilitating: tuple[str, ...]
    hindering: tuple[str, ...]
    notes: dict[str, tuple[str, ...]] = field(default_factory=dict)  # by mechanism
    obstacles: dict[str, tuple[str, ...]] = field(default_factory=dict)  # by hindering factor


# The main role or action of each level (Kim et al. 2017, Table 2, first column), in Bahasa
# Indonesia and English; for the round's "main role per government level" once it exists.
MAIN_ROLES = {
    P: (
        "Membina dan mengoordinasikan kabupaten/kota: rencana aksi provinsi, pemantauan dan "
        "penilaian kinerja aksi konvergensi",
        "Guides and coordinates the districts: provincial action plan, monitoring and the "
        "performance review of the convergence actions",
    ),
    D: (
        "Merencanakan dan menganggarkan intervensi konvergen melalui TPPS: analisis situasi, "
        "rembuk stunting, pengelolaan data",
        "Plans and budgets converged interventions through the TPPS: situation analysis, "
        "rembuk stunting, data management",
    ),
    S: (
        "Melaksanakan layanan dan lokakarya mini lintas sektor; membina desa dan kader",
        "Delivers services and the cross-sector mini-workshops; supports villages and cadres",
    ),
    V: (
        "Menjangkau keluarga sasaran: posyandu, kunjungan rumah, KPM, Dana Desa untuk stunting",
        "Reaches the target families: posyandu, home visits, KPM, the village fund for stunting",
    ),
}

# The lowest level at which a mechanism is recorded: sharing data is cooperation, working
# together needs coordination, pooled resources collaboration.
MECHANISM_FROM_LEVEL = {
    M.DATA_SHARING: 1,
    M.REVIEW_MEETING: 1,
    M.JOINT_PLANNING_MEETING: 2,
    M.JOINT_TRAINING: 2,
    M.JOINT_SUPERVISION: 2,
    M.JOINT_SERVICE_DELIVERY: 2,
    M.JOINT_GUIDELINE_OR_SOP: 3,
    M.POOLED_BUDGET: 3,
    M.SHARED_STAFF_OR_FACILITIES: 3,
    M.MOU_OR_DECREE_TEAM: 3,
}

TIES = {
    (P, P): Ties(
        degree=2,
        mechanisms=(
            M.MOU_OR_DECREE_TEAM,
            M.JOINT_PLANNING_MEETING,
            M.REVIEW_MEETING,
            M.DATA_SHARING,
        ),
        facilitating=(F.REGULATION, F.LEADERSHIP_COMMITMENT, F.REGULAR_FORUM),
        hindering=(H.OVERLAPPING_PROGRAMMES, H.DATA_NOT_INTEGRATED),
        notes={
            M.MOU_OR_DECREE_TEAM: ("Keduanya anggota TPPS Provinsi berdasarkan SK Gubernur.",),
            M.JOINT_PLANNING_MEETING: (
                "Rencana aksi percepatan penurunan stunting provinsi disusun bersama.",
            ),
            M.REVIEW_MEETING: ("Rapat evaluasi TPPS provinsi tiap semester, notulen tersedia.",),
            M.DATA_SHARING: ("Data prevalensi SSGI dan e-PPGBM dibagikan untuk penentuan lokus.",),
        },
        obstacles={
            H.OVERLAPPING_PROGRAMMES: (
                "Dua program pendampingan keluarga berjalan sendiri-sendiri.",
            ),
        },
    ),
    (P, D): Ties(
        degree=2,
        mechanisms=(
            M.REVIEW_MEETING,
            M.DATA_SHARING,
            M.JOINT_PLANNING_MEETING,
            M.JOINT_SUPERVISION,
            M.JOINT_TRAINING,
        ),
        facilitating=(F.REGULAR_FORUM, F.REGULATION, F.SHARED_DATA_SYSTEM, F.PARTNER_SUPPORT),
        hindering=(
            H.DATA_NOT_INTEGRATED,
            H.OVERLAPPING_PROGRAMMES,
            H.UNCLEAR_ROLES,
            H.BUDGET_CONSTRAINTS,
        ),
        notes={
            M.REVIEW_MEETING: (
                "Rapat koordinasi TPPS provinsi dan kabupaten tiap triwulan, notulen tersedia.",
                "Penilaian kinerja aksi konvergensi kabupaten oleh tim provinsi.",
            ),
            M.DATA_SHARING: (
                "Berbagi data e-PPGBM dan data keluarga berisiko stunting tiap triwulan.",
            ),
            M.JOINT_PLANNING_MEETING: (
                "Hadir di rembuk stunting kabupaten; usulan program provinsi dibahas bersama.",
            ),
            M.JOINT_SUPERVISION: ("Supervisi fasilitatif bersama ke puskesmas lokus stunting.",),
            M.JOINT_TRAINING: ("Pelatihan pengelola data gizi kabupaten difasilitasi provinsi.",),
        },
        obstacles={
            H.DATA_NOT_INTEGRATED: (
                "Data provinsi dan kabupaten belum sinkron; angka prevalensi berbeda.",
            ),
            H.OVERLAPPING_PROGRAMMES: (
                "Kegiatan provinsi di desa lokus tidak dikoordinasikan dengan kabupaten.",
            ),
            H.UNCLEAR_ROLES: ("Pembagian peran provinsi dan kabupaten belum jelas.",),
        },
    ),
    (D, D): Ties(
        degree=2,
        mechanisms=(
            M.REVIEW_MEETING,
            M.DATA_SHARING,
            M.JOINT_PLANNING_MEETING,
            M.MOU_OR_DECREE_TEAM,
            M.POOLED_BUDGET,
            M.JOINT_SERVICE_DELIVERY,
        ),
        facilitating=(
            F.REGULATION,
            F.LEADERSHIP_COMMITMENT,
            F.REGULAR_FORUM,
            F.BUDGET_AVAILABLE,
        ),
        hindering=(
            H.SECTORAL_EGO,
            H.BUDGET_CONSTRAINTS,
            H.OVERLAPPING_PROGRAMMES,
            H.MECHANISM_NOT_UNDERSTOOD,
        ),
        notes={
            M.REVIEW_MEETING: ("Rapat koordinasi TPPS bulanan, notulen tersedia.",),
            M.DATA_SHARING: (
                "Berbagi data e-PPGBM dan data sasaran setiap bulan.",
                "Data sasaran dibagikan lewat dasbor stunting kabupaten.",
            ),
            M.JOINT_PLANNING_MEETING: (
                "Rembuk stunting tahunan: kegiatan dan anggaran disepakati bersama.",
            ),
            M.MOU_OR_DECREE_TEAM: ("Keduanya anggota TPPS kabupaten (SK Bupati).",),
            M.POOLED_BUDGET: ("Anggaran intervensi ditandai bersama di APBD (tagging stunting).",),
            M.JOINT_SERVICE_DELIVERY: (
                "Gerakan bersama pemberian makanan tambahan dan pemeriksaan calon pengantin.",
            ),
        },
        obstacles={
            H.SECTORAL_EGO: ("Program masih direncanakan sendiri-sendiri oleh tiap OPD.",),
            H.BUDGET_CONSTRAINTS: ("Anggaran kegiatan bersama terpotong pada perubahan APBD.",),
            H.MECHANISM_NOT_UNDERSTOOD: (
                "Staf belum memahami alur rapat TPPS dan pelaporan aksi.",
            ),
        },
    ),
    (D, S): Ties(
        degree=2,
        mechanisms=(
            M.JOINT_SUPERVISION,
            M.DATA_SHARING,
            M.REVIEW_MEETING,
            M.JOINT_TRAINING,
            M.JOINT_SERVICE_DELIVERY,
        ),
        facilitating=(F.REGULAR_FORUM, F.SHARED_DATA_SYSTEM, F.WORKING_RELATIONS),
        hindering=(H.STAFF_TURNOVER, H.DISTANCE_AND_ACCESS, H.DATA_NOT_INTEGRATED, H.UNCLEAR_ROLES),
        notes={
            M.JOINT_SUPERVISION: (
                "Kunjungan pembinaan bersama ke kecamatan, dengan catatan tindak lanjut.",
            ),
            M.DATA_SHARING: (
                "Laporan bulanan dari kecamatan dikirim ke kabupaten; umpan balik rutin.",
            ),
            M.REVIEW_MEETING: (
                "Lokakarya mini lintas sektor triwulanan di kecamatan dihadiri OPD kabupaten.",
            ),
            M.JOINT_TRAINING: (
                "Pelatihan bersama bagi petugas kecamatan (konseling PMBA, pendataan keluarga).",
            ),
            M.JOINT_SERVICE_DELIVERY: (
                "Layanan terpadu di kecamatan: tablet tambah darah remaja putri, bimbingan catin.",
            ),
        },
        obstacles={
            H.STAFF_TURNOVER: (
                "Kepala puskesmas dan camat berganti; koordinasi dimulai lagi dari awal.",
            ),
            H.DISTANCE_AND_ACCESS: ("Jarak jauh dan jalan rusak; supervisi hanya sekali setahun.",),
        },
    ),
    (D, V): Ties(
        degree=1,
        mechanisms=(M.DATA_SHARING, M.JOINT_TRAINING, M.REVIEW_MEETING, M.JOINT_PLANNING_MEETING),
        facilitating=(F.REGULATION, F.BUDGET_AVAILABLE, F.PARTNER_SUPPORT),
        hindering=(H.DISTANCE_AND_ACCESS, H.BUDGET_CONSTRAINTS, H.UNCLEAR_ROLES),
        notes={
            M.DATA_SHARING: ("Scorecard konvergensi desa dikirim ke kabupaten tiap triwulan.",),
            M.JOINT_TRAINING: ("Pelatihan KPM difasilitasi kabupaten.",),
            M.REVIEW_MEETING: ("Pemantauan penggunaan Dana Desa untuk stunting.",),
            M.JOINT_PLANNING_MEETING: ("Desa hadir di rembuk stunting kabupaten.",),
        },
        obstacles={
            H.UNCLEAR_ROLES: ("Desa belum tahu kegiatan mana yang boleh dibiayai Dana Desa.",),
        },
    ),
    (S, S): Ties(
        degree=3,
        mechanisms=(
            M.REVIEW_MEETING,
            M.JOINT_SERVICE_DELIVERY,
            M.DATA_SHARING,
            M.JOINT_PLANNING_MEETING,
        ),
        facilitating=(F.REGULAR_FORUM, F.WORKING_RELATIONS, F.LEADERSHIP_COMMITMENT),
        hindering=(H.STAFF_TURNOVER, H.UNCLEAR_ROLES, H.MECHANISM_NOT_UNDERSTOOD),
        notes={
            M.REVIEW_MEETING: ("Lokakarya mini lintas sektor tiap triwulan, dipimpin camat.",),
            M.JOINT_SERVICE_DELIVERY: (
                "Layanan bersama bagi calon pengantin dan ibu hamil di kecamatan.",
            ),
            M.DATA_SHARING: (
                "Data calon pengantin dan ibu hamil dibagikan antarkantor di kecamatan.",
            ),
            M.JOINT_PLANNING_MEETING: (
                "Usulan kegiatan stunting dibahas bersama di musrenbang kecamatan.",
            ),
        },
        obstacles={
            H.STAFF_TURNOVER: (
                "Pergantian penyuluh dan bidan koordinator; kegiatan bersama tertunda.",
            ),
        },
    ),
    (S, V): Ties(
        degree=3,
        mechanisms=(
            M.JOINT_SERVICE_DELIVERY,
            M.JOINT_TRAINING,
            M.DATA_SHARING,
            M.JOINT_SUPERVISION,
            M.REVIEW_MEETING,
        ),
        facilitating=(F.WORKING_RELATIONS, F.REGULAR_FORUM, F.BUDGET_AVAILABLE),
        hindering=(
            H.STAFF_TURNOVER,
            H.BUDGET_CONSTRAINTS,
            H.DISTANCE_AND_ACCESS,
            H.MECHANISM_NOT_UNDERSTOOD,
        ),
        notes={
            M.JOINT_SERVICE_DELIVERY: (
                "Kunjungan rumah bersama ke keluarga berisiko stunting.",
                "Posyandu bulanan dilayani bersama petugas kecamatan dan kader.",
            ),
            M.JOINT_TRAINING: ("Pendampingan KPM dan kader oleh petugas kecamatan.",),
            M.DATA_SHARING: ("Hasil penimbangan posyandu diinput ke e-PPGBM bersama.",),
            M.JOINT_SUPERVISION: (
                "Pemantauan bersama ibu hamil KEK dan balita gizi kurang di desa.",
            ),
            M.REVIEW_MEETING: ("Rembuk stunting desa dihadiri puskesmas dan camat.",),
        },
        obstacles={
            H.STAFF_TURNOVER: ("Bidan desa berganti; pendampingan KPM terhenti beberapa bulan.",),
            H.BUDGET_CONSTRAINTS: ("Dana desa untuk PMT dan insentif kader terbatas.",),
        },
    ),
    (V, V): Ties(
        degree=3,
        mechanisms=(
            M.JOINT_SERVICE_DELIVERY,
            M.DATA_SHARING,
            M.REVIEW_MEETING,
            M.POOLED_BUDGET,
        ),
        facilitating=(F.BUDGET_AVAILABLE, F.LEADERSHIP_COMMITMENT, F.WORKING_RELATIONS),
        hindering=(H.BUDGET_CONSTRAINTS, H.MECHANISM_NOT_UNDERSTOOD),
        notes={
            M.JOINT_SERVICE_DELIVERY: ("Posyandu dan kelas ibu balita dijalankan bersama KPM.",),
            M.DATA_SHARING: ("KPM mengisi scorecard konvergensi desa dari data posyandu.",),
            M.REVIEW_MEETING: ("Rembuk stunting desa tahunan; hasilnya masuk RKPDes.",),
            M.POOLED_BUDGET: ("Dana Desa membiayai PMT lokal dan insentif kader posyandu.",),
        },
        obstacles={
            H.BUDGET_CONSTRAINTS: ("Anggaran desa untuk stunting kecil dibanding kebutuhan.",),
        },
    ),
    (P, S): Ties(
        degree=1,
        mechanisms=(M.DATA_SHARING, M.JOINT_SUPERVISION, M.JOINT_TRAINING),
        facilitating=(F.PARTNER_SUPPORT, F.SHARED_DATA_SYSTEM),
        hindering=(H.DISTANCE_AND_ACCESS, H.UNCLEAR_ROLES),
        notes={
            M.JOINT_SUPERVISION: ("Supervisi fasilitatif Dinkes Provinsi ke puskesmas lokus.",),
            M.JOINT_TRAINING: ("Pelatihan tata laksana gizi buruk oleh provinsi.",),
        },
    ),
    (P, V): Ties(
        degree=0,
        mechanisms=(M.DATA_SHARING,),
        facilitating=(F.PARTNER_SUPPORT,),
        hindering=(H.DISTANCE_AND_ACCESS, H.UNCLEAR_ROLES),
        notes={M.DATA_SHARING: ("Kunjungan lapangan tim provinsi ke desa lokus sekali setahun.",)},
    ),
}

# Notes for a pair that does not work together (level 0).
NO_TIES_NOTES = (
    "Belum ada kegiatan bersama.",
    "Belum pernah bertemu dalam forum konvergensi.",
)
# Notes for two kecamatan- or village-level actors of different kecamatan.
FAR_NOTES = (
    "Wilayah kerja berbeda; hanya bertemu di rapat tingkat kabupaten.",
    "Berbagi data bila diminta; belum ada kegiatan bersama.",
)
# Notes for a pair that moved up a level since the previous round.
IMPROVED_NOTES = (
    "Meningkat sejak rembuk stunting tahun lalu; kegiatan bersama kini rutin.",
    "Setelah SK tim diperbarui, pertemuan berjalan tiap bulan.",
)


def ties(level_a: int, level_b: int) -> Ties:
    """The profile of a pair of actors at these two levels (in either order)."""
    return TIES[(min(level_a, level_b), max(level_a, level_b))]

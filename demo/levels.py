"""How the demo's actors work together, by government level: the demo's Kim et al. (2017)
Table 2.

One place for what the demo records, per level and between levels: the usual degree of
convergence between close partners, the mechanisms (most common first), the facilitating
and hindering factors, notes a scorer would write (in Bahasa Indonesia, by mechanism and by
hindering factor), and each level's main role or action. Mechanisms and factors are the
codes of the vocabularies (``assessments.models`` today), checked by the scoring rules as
the demo is loaded; to show more of Kim's Table 2, add entries here.

``demo.scoring`` turns this profile into the values of each pair.
"""

from dataclasses import dataclass, field

from actors.models import GovernmentLevel

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
# Indonesia and English; the demo records the Indonesian text on each of its rounds.
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
# together needs coordination, pooled resources collaboration; a code not listed, coordination.
MECHANISM_FROM_LEVEL = {
    "data_sharing": 1,
    "review_meeting": 1,
    "joint_planning_meeting": 2,
    "joint_training": 2,
    "joint_supervision": 2,
    "joint_service_delivery": 2,
    "joint_guideline_or_sop": 3,
    "pooled_budget": 3,
    "shared_staff_or_facilities": 3,
    "mou_or_decree_team": 3,
}

TIES = {
    (P, P): Ties(
        degree=2,
        mechanisms=(
            "mou_or_decree_team",
            "joint_planning_meeting",
            "review_meeting",
            "data_sharing",
        ),
        facilitating=("regulation", "leadership_commitment", "regular_forum"),
        hindering=("overlapping_programmes", "data_not_integrated"),
        notes={
            "mou_or_decree_team": ("Keduanya anggota TPPS Provinsi berdasarkan SK Gubernur.",),
            "joint_planning_meeting": (
                "Rencana aksi percepatan penurunan stunting provinsi disusun bersama.",
            ),
            "review_meeting": ("Rapat evaluasi TPPS provinsi tiap semester, notulen tersedia.",),
            "data_sharing": ("Data prevalensi SSGI dan e-PPGBM dibagikan untuk penentuan lokus.",),
        },
        obstacles={
            "overlapping_programmes": (
                "Dua program pendampingan keluarga berjalan sendiri-sendiri.",
            ),
        },
    ),
    (P, D): Ties(
        degree=2,
        mechanisms=(
            "review_meeting",
            "data_sharing",
            "joint_planning_meeting",
            "joint_supervision",
            "joint_training",
        ),
        facilitating=("regular_forum", "regulation", "shared_data_system", "partner_support"),
        hindering=(
            "data_not_integrated",
            "overlapping_programmes",
            "unclear_roles",
            "budget_constraints",
        ),
        notes={
            "review_meeting": (
                "Rapat koordinasi TPPS provinsi dan kabupaten tiap triwulan, notulen tersedia.",
                "Penilaian kinerja aksi konvergensi kabupaten oleh tim provinsi.",
            ),
            "data_sharing": (
                "Berbagi data e-PPGBM dan data keluarga berisiko stunting tiap triwulan.",
            ),
            "joint_planning_meeting": (
                "Hadir di rembuk stunting kabupaten; usulan program provinsi dibahas bersama.",
            ),
            "joint_supervision": ("Supervisi fasilitatif bersama ke puskesmas lokus stunting.",),
            "joint_training": ("Pelatihan pengelola data gizi kabupaten difasilitasi provinsi.",),
        },
        obstacles={
            "data_not_integrated": (
                "Data provinsi dan kabupaten belum sinkron; angka prevalensi berbeda.",
            ),
            "overlapping_programmes": (
                "Kegiatan provinsi di desa lokus tidak dikoordinasikan dengan kabupaten.",
            ),
            "unclear_roles": ("Pembagian peran provinsi dan kabupaten belum jelas.",),
        },
    ),
    (D, D): Ties(
        degree=2,
        mechanisms=(
            "review_meeting",
            "data_sharing",
            "joint_planning_meeting",
            "mou_or_decree_team",
            "pooled_budget",
            "joint_service_delivery",
        ),
        facilitating=(
            "regulation",
            "leadership_commitment",
            "regular_forum",
            "budget_available",
        ),
        hindering=(
            "sectoral_ego",
            "budget_constraints",
            "overlapping_programmes",
            "mechanism_not_understood",
        ),
        notes={
            "review_meeting": ("Rapat koordinasi TPPS bulanan, notulen tersedia.",),
            "data_sharing": (
                "Berbagi data e-PPGBM dan data sasaran setiap bulan.",
                "Data sasaran dibagikan lewat dasbor stunting kabupaten.",
            ),
            "joint_planning_meeting": (
                "Rembuk stunting tahunan: kegiatan dan anggaran disepakati bersama.",
            ),
            "mou_or_decree_team": ("Keduanya anggota TPPS kabupaten (SK Bupati).",),
            "pooled_budget": ("Anggaran intervensi ditandai bersama di APBD (tagging stunting).",),
            "joint_service_delivery": (
                "Gerakan bersama pemberian makanan tambahan dan pemeriksaan calon pengantin.",
            ),
        },
        obstacles={
            "sectoral_ego": ("Program masih direncanakan sendiri-sendiri oleh tiap OPD.",),
            "budget_constraints": ("Anggaran kegiatan bersama terpotong pada perubahan APBD.",),
            "mechanism_not_understood": (
                "Staf belum memahami alur rapat TPPS dan pelaporan aksi.",
            ),
        },
    ),
    (D, S): Ties(
        degree=2,
        mechanisms=(
            "joint_supervision",
            "data_sharing",
            "review_meeting",
            "joint_training",
            "joint_service_delivery",
        ),
        facilitating=("regular_forum", "shared_data_system", "working_relations"),
        hindering=("staff_turnover", "distance_and_access", "data_not_integrated", "unclear_roles"),
        notes={
            "joint_supervision": (
                "Kunjungan pembinaan bersama ke kecamatan, dengan catatan tindak lanjut.",
            ),
            "data_sharing": (
                "Laporan bulanan dari kecamatan dikirim ke kabupaten; umpan balik rutin.",
            ),
            "review_meeting": (
                "Lokakarya mini lintas sektor triwulanan di kecamatan dihadiri OPD kabupaten.",
            ),
            "joint_training": (
                "Pelatihan bersama bagi petugas kecamatan (konseling PMBA, pendataan keluarga).",
            ),
            "joint_service_delivery": (
                "Layanan terpadu di kecamatan: tablet tambah darah remaja putri, bimbingan catin.",
            ),
        },
        obstacles={
            "staff_turnover": (
                "Kepala puskesmas dan camat berganti; koordinasi dimulai lagi dari awal.",
            ),
            "distance_and_access": ("Jarak jauh dan jalan rusak; supervisi hanya sekali setahun.",),
        },
    ),
    (D, V): Ties(
        degree=1,
        mechanisms=("data_sharing", "joint_training", "review_meeting", "joint_planning_meeting"),
        facilitating=("regulation", "budget_available", "partner_support"),
        hindering=("distance_and_access", "budget_constraints", "unclear_roles"),
        notes={
            "data_sharing": ("Scorecard konvergensi desa dikirim ke kabupaten tiap triwulan.",),
            "joint_training": ("Pelatihan KPM difasilitasi kabupaten.",),
            "review_meeting": ("Pemantauan penggunaan Dana Desa untuk stunting.",),
            "joint_planning_meeting": ("Desa hadir di rembuk stunting kabupaten.",),
        },
        obstacles={
            "unclear_roles": ("Desa belum tahu kegiatan mana yang boleh dibiayai Dana Desa.",),
        },
    ),
    (S, S): Ties(
        degree=3,
        mechanisms=(
            "review_meeting",
            "joint_service_delivery",
            "data_sharing",
            "joint_planning_meeting",
        ),
        facilitating=("regular_forum", "working_relations", "leadership_commitment"),
        hindering=("staff_turnover", "unclear_roles", "mechanism_not_understood"),
        notes={
            "review_meeting": ("Lokakarya mini lintas sektor tiap triwulan, dipimpin camat.",),
            "joint_service_delivery": (
                "Layanan bersama bagi calon pengantin dan ibu hamil di kecamatan.",
            ),
            "data_sharing": (
                "Data calon pengantin dan ibu hamil dibagikan antarkantor di kecamatan.",
            ),
            "joint_planning_meeting": (
                "Usulan kegiatan stunting dibahas bersama di musrenbang kecamatan.",
            ),
        },
        obstacles={
            "staff_turnover": (
                "Pergantian penyuluh dan bidan koordinator; kegiatan bersama tertunda.",
            ),
        },
    ),
    (S, V): Ties(
        degree=3,
        mechanisms=(
            "joint_service_delivery",
            "joint_training",
            "data_sharing",
            "joint_supervision",
            "review_meeting",
        ),
        facilitating=("working_relations", "regular_forum", "budget_available"),
        hindering=(
            "staff_turnover",
            "budget_constraints",
            "distance_and_access",
            "mechanism_not_understood",
        ),
        notes={
            "joint_service_delivery": (
                "Kunjungan rumah bersama ke keluarga berisiko stunting.",
                "Posyandu bulanan dilayani bersama petugas kecamatan dan kader.",
            ),
            "joint_training": ("Pendampingan KPM dan kader oleh petugas kecamatan.",),
            "data_sharing": ("Hasil penimbangan posyandu diinput ke e-PPGBM bersama.",),
            "joint_supervision": (
                "Pemantauan bersama ibu hamil KEK dan balita gizi kurang di desa.",
            ),
            "review_meeting": ("Rembuk stunting desa dihadiri puskesmas dan camat.",),
        },
        obstacles={
            "staff_turnover": ("Bidan desa berganti; pendampingan KPM terhenti beberapa bulan.",),
            "budget_constraints": ("Dana desa untuk PMT dan insentif kader terbatas.",),
        },
    ),
    (V, V): Ties(
        degree=3,
        mechanisms=(
            "joint_service_delivery",
            "data_sharing",
            "review_meeting",
            "pooled_budget",
        ),
        facilitating=("budget_available", "leadership_commitment", "working_relations"),
        hindering=("budget_constraints", "mechanism_not_understood"),
        notes={
            "joint_service_delivery": ("Posyandu dan kelas ibu balita dijalankan bersama KPM.",),
            "data_sharing": ("KPM mengisi scorecard konvergensi desa dari data posyandu.",),
            "review_meeting": ("Rembuk stunting desa tahunan; hasilnya masuk RKPDes.",),
            "pooled_budget": ("Dana Desa membiayai PMT lokal dan insentif kader posyandu.",),
        },
        obstacles={
            "budget_constraints": ("Anggaran desa untuk stunting kecil dibanding kebutuhan.",),
        },
    ),
    (P, S): Ties(
        degree=1,
        mechanisms=("data_sharing", "joint_supervision", "joint_training"),
        facilitating=("partner_support", "shared_data_system"),
        hindering=("distance_and_access", "unclear_roles"),
        notes={
            "joint_supervision": ("Supervisi fasilitatif Dinkes Provinsi ke puskesmas lokus.",),
            "joint_training": ("Pelatihan tata laksana gizi buruk oleh provinsi.",),
        },
    ),
    (P, V): Ties(
        degree=0,
        mechanisms=("data_sharing",),
        facilitating=("partner_support",),
        hindering=("distance_and_access", "unclear_roles"),
        notes={"data_sharing": ("Kunjungan lapangan tim provinsi ke desa lokus sekali setahun.",)},
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
